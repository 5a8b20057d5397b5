import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closeProvisionally } from './md-close.js';

test('unclosed emphasis, strike and code spans are closed provisionally', () => {
  assert.equal(closeProvisionally('This is **bol'), 'This is **bol**');
  assert.equal(closeProvisionally('an *emph'), 'an *emph*');
  assert.equal(closeProvisionally('**bold and *both'), '**bold and *both***');
  assert.equal(closeProvisionally('~~gone'), '~~gone~~');
  assert.equal(closeProvisionally('run `npm te'), 'run `npm te`');
  assert.equal(closeProvisionally('a **bold** word and **mor'), 'a **bold** word and **mor**');
  assert.equal(closeProvisionally('**trailing space '), '**trailing space**');
});

test('what is already whole, or no emphasis at all, is left as it is', () => {
  for (const s of ['plain text', '**done**', '`a * b`', 'snake_case_name', '2 * 3 = 6', '- item\n* item', 'x \\*not\\* em', '```js\nconst a = "**";\n', '']) {
    assert.equal(closeProvisionally(s), s, s);
  }
  // Only the last paragraph counts: an earlier one was whole on its own.
  assert.equal(closeProvisionally('first *para*\n\nsecond **b'), 'first *para*\n\nsecond **b**');
  // Inside a code span nothing opens.
  assert.equal(closeProvisionally('`**` then **x'), '`**` then **x**');
});
