// Every storage port's acceptance suite, for one store adapter (SQLite, memory), in the style
// of automerge-repo's runStorageAdapterTests(setup): each adapter's own test file is a few lines.
import { runCheckpointStoreSuite } from './checkpoint-store-suite';
import { runDenialLogSuite } from './denial-log-suite';
import { runFeedLogSuite } from './feed-log-suite';
import type { MakeHarness } from './harness';
import { runIntakeInboxSuite } from './intake-inbox-suite';
import { runOutputCacheSuite } from './output-cache-suite';
import { runQuarantineLogSuite } from './quarantine-log-suite';

export function runStoreSuites(name: string, persistent: boolean, make: MakeHarness): void {
  runFeedLogSuite(name, persistent, make);
  runQuarantineLogSuite(name, persistent, make);
  runDenialLogSuite(name, persistent, make);
  runCheckpointStoreSuite(name, persistent, make);
  runOutputCacheSuite(name, persistent, make);
  runIntakeInboxSuite(name, persistent, make);
}
