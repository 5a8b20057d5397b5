import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TurnTree } from './tree.js';

const t = (requestId: string, parentId: string | null) => ({ requestId, parentId });

test('the branch shown: newest sibling by default, the chosen one once picked, its own descendants', () => {
  const tree = new TurnTree([t('a', null), t('b', 'a'), t('c', 'b'), t('b2', 'a')]);
  assert.deepEqual(tree.path().map((x) => x.requestId), ['a', 'b2']);
  tree.choose('b');
  assert.deepEqual(tree.path().map((x) => x.requestId), ['a', 'b', 'c']);
  assert.deepEqual(tree.siblingsOf(tree.get('b')!).map((x) => x.requestId), ['b', 'b2']);
  tree.put(t('b3', 'a'));
  assert.deepEqual(tree.path().map((x) => x.requestId), ['a', 'b3'], 'a new sibling is chosen');
  tree.put({ ...t('b3', 'a') });
  assert.equal(tree.all.length, 5, 'put of a known id replaces it');
  assert.deepEqual(new TurnTree([]).path(), []);
});
