/**
 * Pins how the platform starts in AWS (the Fargate task) against how it starts locally, over real
 * sockets on 127.0.0.1:
 * - with a Cognito pool configured, no local admin is created and no password is returned (so
 *   server.ts prints none); the pool's tokens are accepted, the local issuer's are not, and the
 *   local sign-in refuses everyone
 * - without one, the first start still creates the demo admin with a printed-once password
 * - the JWKS read fails the start with UNAVAILABLE on an HTTP error or no answer within its timeout
 *   (JWKS_TIMEOUT_MS by default)
 * - bound to 0.0.0.0, the health port answers a Host naming the machine's own address (a load
 *   balancer's health check) and still refuses other names; bound to 127.0.0.1, it does not add them
 */
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import type { NetworkInterfaceInfo } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { TokenIssuer } from "../auth/tokens.js";
import type { User } from "../auth/user-pool.js";
import { LocalKeyStore } from "../keys/local-key-store.js";
import { DataDir } from "../local/data-dir.js";
import { silentLogger } from "../log/logger.js";
import { tempConfig, tempDir } from "../testing/fixtures.js";
import { freePort } from "../testing/free-port.js";
import {
  cognitoIssuer,
  fetchCognitoJwks,
  JWKS_TIMEOUT_MS,
  ownAddresses,
  type RunningPlatform,
  startPlatform,
} from "./start-platform.js";

const POOL_ID = "ap-northeast-1_TestPool1";
const CLIENT_ID = "catdata-web-client";
const ISSUER = cognitoIssuer("ap-northeast-1", POOL_ID);
const TASK_ADDRESS = "10.0.10.23";

const nic = (address: string, family: "IPv4" | "IPv6", internal = false): NetworkInterfaceInfo =>
  ({
    address,
    family,
    internal,
    netmask: "",
    mac: "",
    cidr: null,
    ...(family === "IPv6" ? { scopeid: 0 } : {}),
  }) as NetworkInterfaceInfo;
const TASK_INTERFACES = { lo: [nic("127.0.0.1", "IPv4", true)], eth1: [nic(TASK_ADDRESS, "IPv4")] };

const running: RunningPlatform[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.close()));
});

async function start(env: Record<string, string>, options: Parameters<typeof startPlatform>[2] = {}) {
  const config = tempConfig({
    CATDATA_PORT: String(await freePort()),
    CATDATA_HEALTH_PORT: String(await freePort()),
    AWS_REGION: "ap-northeast-1",
    ...env,
  });
  const platform = await startPlatform(config, silentLogger, options);
  running.push(platform);
  return { platform, config };
}

/** A GET to 127.0.0.1:port with the Host header a proxy or a load balancer would send. */
function getWithHost(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers: { host } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject).end();
  });
}

const cognitoAdmin: User = {
  username: "tanaka",
  sub: "0b8c1e7a-0000-4000-8000-000000000001",
  groups: ["admin"],
  municipality: null,
  enabled: true,
  createdAt: "2026-01-01T00:00:00.000Z",
};

describe("startPlatform", () => {
  it("with a Cognito pool creates no local admin, prints no password and verifies the pool's tokens only", async () => {
    // The pool's signing keys: a real RS256 issuer under Cognito's issuer URL, its JWKS served to the start.
    const pool = await TokenIssuer.open(new LocalKeyStore(new DataDir(tempDir())), ISSUER, { clientId: CLIENT_ID });
    const asked: string[] = [];
    const { platform } = await start(
      { CATDATA_USER_POOL_ID: POOL_ID, CATDATA_USER_POOL_CLIENT_ID: CLIENT_ID },
      {
        fetchJwks: async (url) => {
          asked.push(url);
          return pool.jwks();
        },
      },
    );
    expect(asked).toEqual([`${ISSUER}/.well-known/jwks.json`]);
    expect(platform.seeded.adminPassword).toBeUndefined();
    expect(await platform.deps.users.list()).toEqual([]);

    const call = (token: string) =>
      fetch(`${platform.url}api/municipalities`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call((await pool.issue(cognitoAdmin)).accessToken)).status).toBe(200);
    // Signed by the task's own keys (with the pool's issuer): refused.
    expect((await call((await platform.deps.tokens.issue(cognitoAdmin)).accessToken)).status).toBe(401);
    const login = await fetch(`${platform.url}api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "Correct-Horse-9" }),
    });
    expect(login.status).toBe(401);
  });

  it("without Cognito creates the demo admin once, with a password to print", async () => {
    const { platform } = await start({});
    expect(platform.seeded.adminPassword).toMatch(/^\S{20}$/);
    expect((await platform.deps.users.list()).map((u) => [u.username, u.groups])).toEqual([["admin", ["admin"]]]);
  });

  it("bound to 0.0.0.0 answers the health check a load balancer sends to the task's address, and no other name", async () => {
    const { config } = await start(
      { CATDATA_HOST: "0.0.0.0", CATDATA_ALLOWED_HOSTS: "catdata-alb-123.ap-northeast-1.elb.amazonaws.com" },
      { networkInterfaces: () => TASK_INTERFACES },
    );
    const health = config.healthPort;
    expect(await getWithHost(health, "/healthcheck", `${TASK_ADDRESS}:${health}`)).toBe(200);
    expect(await getWithHost(health, "/healthcheck", "catdata-alb-123.ap-northeast-1.elb.amazonaws.com")).toBe(200);
    expect(await getWithHost(health, "/healthcheck", "evil.example")).toBe(403);
    expect(await getWithHost(config.port, "/", "10.0.10.99")).toBe(403);
  });

  it("adds its own addresses only when bound to all interfaces, IPv6 in brackets, loopback and zoned ones left out", () => {
    const interfaces = {
      ...TASK_INTERFACES,
      eth2: [nic("FD00::17", "IPv6"), nic("fe80::1%eth2", "IPv6"), nic("::1", "IPv6", true)],
    };
    expect(ownAddresses("0.0.0.0", interfaces)).toEqual([TASK_ADDRESS, "[fd00::17]"]);
    expect(ownAddresses("::", interfaces)).toEqual([TASK_ADDRESS, "[fd00::17]"]);
    expect(ownAddresses("127.0.0.1", interfaces)).toEqual([]);
    expect(ownAddresses("10.0.10.23", interfaces)).toEqual([]);
  });

  it("fails to read the pool's JWKS on an HTTP error or when no answer comes within the timeout", async () => {
    const held: import("node:http").ServerResponse[] = [];
    const server = createServer((req, res) => {
      if (req.url === "/missing") res.writeHead(404).end();
      else held.push(res); // never answers
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await expect(fetchCognitoJwks(`${base}/missing`)).rejects.toMatchObject({
        code: "UNAVAILABLE",
        message: /HTTP 404/,
      });
      const started = Date.now();
      await expect(fetchCognitoJwks(`${base}/slow`, 200)).rejects.toMatchObject({
        code: "UNAVAILABLE",
        message: /no answer within 200 ms/,
      });
      expect(Date.now() - started).toBeLessThan(JWKS_TIMEOUT_MS);
      expect(JWKS_TIMEOUT_MS).toBe(5000);
    } finally {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
