import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { OpenTabs, tabsFor, type TabHost } from '../../../extension/cli/bench/quality/openTabs';
import type { DocumentSnapshot } from '../../../extension/core/context/types';

const files = ['pkg/a.go', 'pkg/b.go', 'other/c.go', 'pkg/d.go', 'pkg/e.go', 'pkg/sub/f.go'].map((path) => ({ path, text: `// ${path}\n` }));
const uri = (p: string) => pathToFileURL(resolve(p)).href;

test("a sample's tabs are the other files of its directory, nearest in list order first", () => {
  assert.deepEqual(tabsFor(files, 'pkg/d.go').map((f) => f.path), ['pkg/e.go', 'pkg/b.go', 'pkg/a.go']);
  assert.deepEqual(tabsFor(files, 'pkg/d.go', 2).map((f) => f.path), ['pkg/e.go', 'pkg/b.go']);
  assert.deepEqual(tabsFor(files, 'other/c.go'), [], 'alone in its directory: no tabs');
  assert.deepEqual(tabsFor(files, 'pkg/sub/f.go'), [], 'a subdirectory is another directory');
});

test('moving to the next sample closes the tabs it does not share and opens the new ones once', async () => {
  const opened: DocumentSnapshot[] = [];
  const closed: string[] = [];
  const host: TabHost = { openDocument: async (d) => void opened.push(d), closeDocument: (u) => void closed.push(u) };
  const tabs = new OpenTabs(host, files, 2);
  assert.deepEqual(await tabs.show('pkg/a.go'), [uri('pkg/b.go'), uri('pkg/d.go')]);
  assert.deepEqual(opened.map((d) => d.uri), [uri('pkg/b.go'), uri('pkg/d.go')]);
  assert.equal(opened[0].text, '// pkg/b.go\n', 'the file as listed');
  assert.equal(opened[0].version, 0, 'samples count versions from 1, so a listed file never shares a version with a sample document');
  assert.deepEqual(await tabs.show('pkg/d.go'), [uri('pkg/e.go'), uri('pkg/b.go')]);
  assert.deepEqual(closed, [uri('pkg/d.go')], 'the sample’s own file is not a tab of itself');
  assert.deepEqual(opened.map((d) => d.uri).slice(2), [uri('pkg/e.go')], 'b.go stays open and is not reopened');
  await tabs.show('other/c.go');
  assert.deepEqual(closed.slice(1).sort(), [uri('pkg/b.go'), uri('pkg/e.go')].sort());
});
