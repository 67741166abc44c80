/** Test inference process: loads, then never answers generate requests (a stuck native call). */
export {};

const INFO = { id: 'stuck', contextLength: 8, vocabSize: 4, hasChatTemplate: false };

process.on('message', (m: { kind: string; id: number; method: string }) => {
  if (m.kind === 'close') process.disconnect();
  if (m.kind === 'request' && m.method === 'load') process.send!({ kind: 'result', id: m.id, value: INFO });
});
