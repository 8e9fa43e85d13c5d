// Reads {"secret", "headers", "body"} as JSON on stdin and verifies the delivery with the
// Standard Webhooks reference implementation. Exit 0 and "verified" when it verifies.
import { Webhook } from "standardwebhooks";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const { secret, headers, body } = JSON.parse(input);
try {
  new Webhook(secret).verify(body, headers);
  console.log("verified");
} catch (error) {
  console.log(`not verified: ${error.message}`);
  process.exit(1);
}
