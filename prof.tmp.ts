import { benchIngest } from './src/lab/bench/ingest-bench';
const rows = benchIngest(1, () => {});
console.log(JSON.stringify(rows.map(r => [r.value, r.baseline?.value, r.ratio, r.note])));
