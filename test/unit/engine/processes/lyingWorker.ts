/** Test inference process that answers load correctly and everything else with malformed messages. */
export {};

const INFO = { id: 'fake', contextLength: 8, vocabSize: 4, hasChatTemplate: false };

process.on('message', (m: { kind: string; id: number; method: string }) => {
  if (m.kind === 'close') process.disconnect();
  if (m.kind !== 'request') return;
  if (m.method === 'load') process.send!({ kind: 'result', id: m.id, value: INFO });
  else if (m.method === 'tokenize') process.send!({ kind: 'result', id: m.id, value: ['not', 'ids'] });
  else if (m.method === 'generate') process.send!({ kind: 'event', id: m.id, name: 'tokens', data: { events: [{ text: 1, tokenId: -1 }] } });
});
