/**
 * Pins how a call's name is resolved to the model's event key: the key itself, a short service
 * (`s3:`), a bare name, exactly and then ignoring case; ambiguous and unknown names are errors that
 * say so (the choices listed, at most MAX_KEY_CHOICES of them).
 */
import { describe, expect, it } from "vitest";
import { MAX_KEY_CHOICES, resolveEventKey } from "./resolve-event-key.js";

const KEYS = [
  "s3.amazonaws.com:ListObjects",
  "rds.amazonaws.com:ListTagsForResource",
  "ssm.amazonaws.com:ListTagsForResource",
];

describe("resolveEventKey", () => {
  it("resolves a key, a short service and a bare name, exactly or ignoring case", () => {
    for (const name of [
      "s3.amazonaws.com:ListObjects",
      "s3:ListObjects",
      "ListObjects",
      "listobjects",
      "S3:LISTOBJECTS",
    ])
      expect([name, resolveEventKey(KEYS, name, "h")]).toEqual([name, "s3.amazonaws.com:ListObjects"]);
    expect(resolveEventKey(KEYS, "ssm:ListTagsForResource", "h")).toBe("ssm.amazonaws.com:ListTagsForResource");
  });

  it("refuses an ambiguous name listing the choices, and an unknown one with the hint", () => {
    expect(() => resolveEventKey(KEYS, "ListTagsForResource", "h")).toThrow(
      '"ListTagsForResource" is ambiguous: it could be rds.amazonaws.com:ListTagsForResource, ssm.amazonaws.com:ListTagsForResource',
    );
    expect(() => resolveEventKey(KEYS, "ec2:ListObjects", "see the profile")).toThrow(/no call "ec2:ListObjects"/);
    const many = Array.from({ length: MAX_KEY_CHOICES + 3 }, (_, i) => `svc${i}.amazonaws.com:Describe`);
    const error = (() => {
      try {
        resolveEventKey(many, "Describe", "h");
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/ and 3 more$/);
    expect(error?.message.match(/amazonaws\.com:Describe/g)).toHaveLength(MAX_KEY_CHOICES);
  });
});
