/** The Trends page's type filter as its URL keeps it: which types a link names, and what a click on a chip leaves in it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chosenTypes, toggledTypesParam } from './type-filter.js';

const ALL = ['ddos', 'account_takeover', 'targeted', 'web_attack', 'ransomware', 'malware'];

test('a link names the types to show, in the page\'s order; unknown ids are dropped; none named is no filter', () => {
  assert.deepEqual(chosenTypes('ransomware,ddos', ALL), ['ddos', 'ransomware']);
  assert.deepEqual(chosenTypes('ransomware, nosuch', ALL), ['ransomware']);
  assert.deepEqual(chosenTypes(null, ALL), []);
  assert.deepEqual(chosenTypes('', ALL), []);
  assert.deepEqual(chosenTypes('nosuch', ALL), []);
});

test('a chip click shows its type alone, then adds or removes; none or all chosen is no parameter', () => {
  assert.equal(toggledTypesParam([], 'ransomware', ALL), 'ransomware');
  assert.equal(toggledTypesParam(['ransomware'], 'ddos', ALL), 'ddos,ransomware');
  assert.equal(toggledTypesParam(['ddos', 'ransomware'], 'ddos', ALL), 'ransomware');
  assert.equal(toggledTypesParam(['ransomware'], 'ransomware', ALL), null);
  assert.equal(toggledTypesParam(ALL.filter((t) => t !== 'malware'), 'malware', ALL), null);
});
