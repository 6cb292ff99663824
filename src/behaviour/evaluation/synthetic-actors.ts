/**
 * The principals of the synthetic benign trail: who they are, where they connect from, with which
 * client, when they work (UTC hours; 0–9 UTC is 9–18 in Tokyo) and the workflows they repeat, each a
 * list of calls with how many times each is repeated. Data only.
 */
type Step = [key: string, min: number, max: number];
export type Workflow = Step[];

export interface Actor {
  name: string;
  role?: string;
  ips: string[];
  agent: string;
  workflows: Workflow[];
  /** UTC hours a session may start in, and sessions per active day. */
  hours: [number, number];
  sessions: [number, number];
  daily?: boolean;
}

const w = (...steps: Step[]): Workflow => steps;
const CLI = "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1014-aws exe/x86_64.ubuntu.22";
const BOTO = "Boto3/1.34.50 md/Botocore#1.34.50 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.8";
export const ACTORS: Actor[] = [
  {
    name: "alice",
    ips: ["203.0.113.10", "203.0.113.10", "198.51.100.23"],
    agent: CLI,
    hours: [0, 8],
    sessions: [1, 3],
    workflows: [
      w(
        ["lambda:GetFunction20150331v2", 1, 1],
        ["lambda:UpdateFunctionCode20150331v2", 1, 1],
        ["lambda:GetFunctionConfiguration20150331v2", 1, 3],
        ["logs:DescribeLogStreams", 1, 1],
        ["logs:GetLogEvents", 1, 4],
      ),
      w(["s3:ListBuckets", 1, 1], ["s3:ListObjects", 1, 2], ["s3:GetObject", 1, 5], ["s3:PutObject", 0, 2]),
      w(["logs:DescribeLogGroups", 1, 1], ["logs:FilterLogEvents", 2, 6], ["lambda:GetFunction20150331v2", 0, 1]),
      w(
        ["monitoring:DescribeAlarms", 1, 1],
        ["monitoring:GetMetricData", 1, 3],
        ["lambda:ListFunctions20150331", 1, 1],
      ),
    ],
  },
  {
    name: "bob",
    ips: ["203.0.113.11"],
    agent: BOTO,
    hours: [0, 9],
    sessions: [1, 3],
    workflows: [
      w(["athena:StartQueryExecution", 1, 1], ["athena:GetQueryExecution", 2, 5], ["athena:GetQueryResults", 1, 1]),
      w(["glue:GetDatabases", 1, 1], ["glue:GetTables", 1, 1], ["glue:GetTable", 1, 3]),
      w(["glue:StartCrawler", 1, 1], ["glue:GetCrawler", 2, 6]),
      w(["s3:ListObjects", 1, 2], ["s3:GetObject", 1, 3]),
    ],
  },
  {
    name: "carol",
    ips: ["203.0.113.12"],
    agent: CLI,
    hours: [0, 8],
    sessions: [1, 2],
    workflows: [
      w(["ec2:DescribeInstances", 1, 2], ["ec2:DescribeInstanceStatus", 1, 1], ["monitoring:GetMetricData", 1, 3]),
      w(["ec2:DescribeSecurityGroups", 1, 2], ["ec2:DescribeVpcs", 1, 1], ["ec2:DescribeSubnets", 1, 1]),
      w(["ssm:DescribeInstanceInformation", 1, 2], ["ssm:SendCommand", 1, 1], ["ssm:ListCommandInvocations", 2, 4]),
      w(["autoscaling:DescribeAutoScalingGroups", 1, 1], ["autoscaling:SetDesiredCapacity", 0, 1]),
    ],
  },
  {
    name: "github-actions",
    role: "ci-deploy",
    ips: ["192.0.2.10", "192.0.2.11", "192.0.2.12"],
    agent: "aws-sdk-js/3.540.0 ua/2.0 os/linux#6.5.0 lang/js md/nodejs#20.11.1 api/cloudformation#3.540.0",
    hours: [0, 10],
    sessions: [0, 3],
    workflows: [
      w(
        ["sts:GetCallerIdentity", 1, 1],
        ["cloudformation:DescribeStacks", 1, 1],
        ["cloudformation:CreateChangeSet", 1, 1],
        ["cloudformation:DescribeChangeSet", 2, 4],
        ["cloudformation:ExecuteChangeSet", 1, 1],
        ["cloudformation:DescribeStackEvents", 3, 8],
      ),
    ],
  },
  {
    name: "nightly",
    role: "backup-job",
    ips: ["10.0.10.5"],
    agent: `${BOTO} exec-env/AWS_Lambda_python3.12`,
    hours: [18, 18],
    sessions: [1, 1],
    daily: true,
    workflows: [
      w(
        ["rds:DescribeDBInstances", 1, 1],
        ["rds:CreateDBSnapshot", 1, 1],
        ["rds:DescribeDBSnapshots", 2, 5],
        ["rds:DeleteDBSnapshot", 1, 1],
      ),
    ],
  },
];
