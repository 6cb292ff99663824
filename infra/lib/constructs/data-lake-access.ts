import { Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import type { IConstruct } from "constructs";
import { acknowledgeWildcardResources } from "../nag.js";

/**
 * Least-privilege grants on S3 prefixes, the Glue catalog and Athena, with exact actions (never `s3:*`, `glue:*`,
 * `athena:*`). ARNs are built from names in the grantee's own stack (no cross-stack tokens), so each wildcard they
 * must contain (objects under a prefix, tables of a database) is acknowledged to cdk-nag exactly, here, once.
 */
export interface DataLakeRefs {
  /** The bucket's name as a plain string (literals and pseudo parameters only). */
  readonly bucketName: string;
  readonly databaseName: string;
  readonly workgroupName: string;
  /** Prefix (with trailing slash) Athena writes its results to. */
  readonly resultsPrefix: string;
}

function principalScope(grantee: iam.IGrantable): IConstruct {
  const principal = grantee.grantPrincipal as unknown as Partial<IConstruct>;
  if (principal.node) return principal as IConstruct;
  return grantee as unknown as IConstruct;
}

export function bucketArn(scope: IConstruct, bucketName: string): string {
  return Stack.of(scope).formatArn({ service: "s3", region: "", account: "", resource: bucketName });
}

export function objectsArn(scope: IConstruct, bucketName: string, prefix: string): string {
  return `${bucketArn(scope, bucketName)}/${prefix}*`;
}

/** Read objects under the given prefixes (e.g. `curated/`) and list them. */
export function grantPrefixRead(grantee: iam.IGrantable, bucketName: string, prefixes: readonly string[]): void {
  const scope = principalScope(grantee);
  const objects = prefixes.map((p) => objectsArn(scope, bucketName, p));
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ["s3:GetObject", "s3:GetObjectVersion"], resources: objects }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ["s3:ListBucket"],
      resources: [bucketArn(scope, bucketName)],
      conditions: { StringLike: { "s3:prefix": prefixes.flatMap((p) => [p, `${p}*`]) } },
    }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions: ["s3:GetBucketLocation"], resources: [bucketArn(scope, bucketName)] }),
  );
  acknowledgeWildcardResources(
    scope,
    "Read access scoped to prefixes of one bucket; object ARNs under a prefix end in *.",
    objects,
  );
}

/** Write (and overwrite/delete) objects under the given prefixes. */
export function grantPrefixWrite(grantee: iam.IGrantable, bucketName: string, prefixes: readonly string[]): void {
  const scope = principalScope(grantee);
  const objects = prefixes.map((p) => objectsArn(scope, bucketName, p));
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      resources: objects,
    }),
  );
  acknowledgeWildcardResources(
    scope,
    "Write access scoped to prefixes of one bucket; object ARNs under a prefix end in *.",
    objects,
  );
}

export function glueArns(
  scope: IConstruct,
  databaseName: string,
): { catalog: string; database: string; tables: string } {
  const stack = Stack.of(scope);
  return {
    catalog: stack.formatArn({ service: "glue", resource: "catalog" }),
    database: stack.formatArn({ service: "glue", resource: "database", resourceName: databaseName }),
    tables: stack.formatArn({ service: "glue", resource: "table", resourceName: `${databaseName}/*` }),
  };
}

/** Read the Glue catalog entries of one database (what Athena and Redshift Spectrum need). */
export function grantCatalogRead(grantee: iam.IGrantable, databaseName: string): void {
  const scope = principalScope(grantee);
  const g = glueArns(scope, databaseName);
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [
        "glue:GetDatabase",
        "glue:GetTable",
        "glue:GetTables",
        "glue:GetPartition",
        "glue:GetPartitions",
        "glue:BatchGetPartition",
      ],
      resources: [g.catalog, g.database, g.tables],
    }),
  );
  acknowledgeWildcardResources(scope, `Catalog read limited to the tables of the ${databaseName} database.`, [
    g.tables,
  ]);
}

/** Run Athena queries in the workgroup over the given data prefixes and read/write its result prefix. */
export function grantAthenaQuery(grantee: iam.IGrantable, refs: DataLakeRefs, dataPrefixes: readonly string[]): void {
  const scope = principalScope(grantee);
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: [
        "athena:StartQueryExecution",
        "athena:StopQueryExecution",
        "athena:GetQueryExecution",
        "athena:GetQueryResults",
        "athena:GetWorkGroup",
      ],
      resources: [
        Stack.of(scope).formatArn({ service: "athena", resource: "workgroup", resourceName: refs.workgroupName }),
      ],
    }),
  );
  grantCatalogRead(grantee, refs.databaseName);
  grantPrefixRead(grantee, refs.bucketName, [...dataPrefixes, refs.resultsPrefix]);
  grantPrefixWrite(grantee, refs.bucketName, [refs.resultsPrefix]);
}
