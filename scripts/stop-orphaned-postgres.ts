// .ci/run's last step: no embedded Postgres this run started may outlive it. Servers whose owning
// process is gone (a test killed mid-run, a killed `pnpm dev`) are stopped; a live owner's are not.
import { stopOrphanedClusters } from "@paycron/db/embedded";

await stopOrphanedClusters([".paycron/postgres"]);
