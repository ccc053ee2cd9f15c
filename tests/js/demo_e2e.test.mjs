// The demo site's end-to-end suite (tests/e2e/): the shop, the playground and the dashboard in
// headless Chromium against a tracker started for the run. `make test` runs it through here;
// `node --test tests/e2e/` runs the same files one by one.
import '../e2e/shop.test.mjs';
import '../e2e/playground.test.mjs';
import '../e2e/dashboard.test.mjs';
