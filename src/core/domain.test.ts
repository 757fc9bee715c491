import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domainName } from './domain.js';

test('domain: a TLD in mixed case (DNS 0x20 case randomization) is a name, folded to lower case', () => {
  assert.equal(domainName('WWW.EXAMPLE.Com'), 'www.example.com');
  assert.equal(domainName('wWw.ExAmPlE.cOm'), 'www.example.com');
  assert.equal(domainName('eXample.cOM'), 'example.com');
  assert.equal(domainName('MAIL.CORP.Example'), 'mail.corp.example');
});

test('domain: a capitalized last word after a lower-case label is a member or namespace, not a TLD', () => {
  for (const code of ['System.Net', 'button1.Click', 'h.client.Do', 'Microsoft.AspNetCore.App', 'local.INFO', 'logger.Info', 'UP.Link', 'ASP.Net']) {
    assert.equal(domainName(code), null, code);
  }
});

test('domain: host names under a language root (android, java, sun) that end in a host TLD', () => {
  assert.equal(domainName('android.clients.google.com'), 'android.clients.google.com');
  assert.equal(domainName('android.googleapis.com'), 'android.googleapis.com');
  assert.equal(domainName('java.sun.com'), 'java.sun.com');
  assert.equal(domainName('ANDROID.CLIENTS.GOOGLE.COM'), 'android.clients.google.com');
});

test('domain: reverse-DNS and package names stay code', () => {
  for (const code of [
    'java.util.List',
    'com.example.Foo',
    'com.example.net',
    'org.apache.hadoop.app',
    'androidx.core.app',
    'android.support.v4.app',
    'kotlin.coroutines.io',
    'io.netty.channel.com',
    'java.lang.String',
  ]) {
    assert.equal(domainName(code), null, code);
  }
});

test('domain: Hadoop configuration keys (`mapred.`, `mapreduce.`) are code, not names under `.id`', () => {
  for (const code of ['mapred.tip.id', 'mapred.task.id', 'mapreduce.task.id', 'mapreduce.job.id', 'mapred.task.is.map']) assert.equal(domainName(code), null, code);
  assert.equal(domainName('mapred.example.com'), 'mapred.example.com');
  assert.equal(domainName('mapreduce.corp.example.com'), 'mapreduce.corp.example.com');
});

test('domain: the new gTLDs most abused for phishing and C2 are names; code and field words are not', () => {
  for (const n of ['img-stat-relay.rest', 'login.verify.cyou', 'pay.secure.sbs', 'cdn-update.monster']) assert.equal(domainName(n), n);
  for (const n of ['user.email', 'time.zone', 'hello.world', 'model.fit', 'event.date']) assert.equal(domainName(n), null, n);
});
