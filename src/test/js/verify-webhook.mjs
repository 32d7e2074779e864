// Verifies a webhook delivery as a receiver written for GitHub does: with @octokit/webhooks-methods,
// GitHub's own JavaScript library for X-Hub-Signature-256, unchanged.
// Usage: node verify-webhook.mjs <secret> <body file> <X-Hub-Signature-256 value>
// Prints "verified true" or "verified false".
import { readFileSync } from "node:fs";
import { verify } from "@octokit/webhooks-methods";

const [secret, bodyFile, signature] = process.argv.slice(2);
try {
  const ok = await verify(secret, readFileSync(bodyFile, "utf8"), signature);
  console.log(`verified ${ok}`);
} catch (e) {
  console.log(`error verify ${String(e.message).replace(/\s+/g, " ")}`);
  process.exit(1);
}
