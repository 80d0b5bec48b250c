/** `npm start`: Probot's server with Shipshape loaded. Env: APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST… */
import { run } from "probot";
import shipshapeApp from "./app.js";

await run(shipshapeApp);
