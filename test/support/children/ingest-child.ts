// Child process for the crash test: ingests signed batches into a SQLite store forever and prints
// "ack <seq>" after each batch commits. The parent kills it with SIGKILL at a random moment.
import { SqliteFeedStore } from '../../../src/node/store/sqlite/sqlite-store';
import { crypto, FeedBuilder } from '../feeds';

const [dbPath, label] = process.argv.slice(2);
const store = SqliteFeedStore.open(dbPath!, { crypto });
const feed = new FeedBuilder(label!);
const BATCH = 50;
for (let n = 0; ; n++) {
  feed.addMany(BATCH);
  const from = n * BATCH + 1;
  const out = store.ingest([feed.run(from, from + BATCH - 1)], 0);
  if (out.appended.length !== BATCH) throw new Error(`batch ${n} appended ${out.appended.length}`);
  process.stdout.write(`ack ${from + BATCH - 1}\n`);
}
