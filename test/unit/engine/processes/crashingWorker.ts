/**
 * Test inference process: the real one, which also dies when a generate request's prompt asks
 * for it: "<<exit>>" exits with code 7, "<<abort>>" aborts natively (SIGABRT, as a crash inside
 * onnxruntime would).
 */
import '../../../../extension/core/engine/worker/main';

process.on('message', (m: unknown) => {
  const msg = m as { kind?: unknown; method?: unknown; params?: { prompt?: unknown } };
  if (msg?.kind !== 'request' || msg.method !== 'generate' || typeof msg.params?.prompt !== 'string') return;
  if (msg.params.prompt.includes('<<exit>>')) process.exit(7);
  if (msg.params.prompt.includes('<<abort>>')) process.abort();
});
