/** TLS server names for the live URL scorer: EVE tls, Zeek ssl.log JSON and TSV, Squid CONNECT; anything else, or a name that is not a plain host, gives none. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mayBeTlsRecord, tlsServerName } from './tls-names.js';
import { zeekSslTsv } from './testing.js';

test('server names from Suricata EVE tls, Zeek ssl.log JSON and Zeek ssl.log TSV', () => {
  const eve = '{"timestamp":"2024-01-02T10:00:00.000000+0000","event_type":"tls","src_ip":"10.0.2.57","dest_ip":"203.0.113.80","dest_port":443,"tls":{"subject":"CN=x","sni":"Login-Verify.Example.NET","version":"TLS 1.3"}}';
  const zeekJson = '{"ts":1704189600.5,"uid":"C1","id.orig_h":"10.0.2.57","id.resp_p":443,"version":"TLSv13","server_name":"cdn-sync-telemetry.top","established":true}';
  for (const [line, name] of [
    [eve, 'login-verify.example.net'],
    [`suricata[812]: ${eve}`, 'login-verify.example.net'],
    [zeekJson, 'cdn-sync-telemetry.top'],
    [zeekSslTsv('update.googleapis.com'), 'update.googleapis.com'],
    [zeekSslTsv('ise.wrccdc.org', 'TLSv10'), 'ise.wrccdc.org'],
    // a proxy's HTTPS request: Squid writes the tunnel's host and port
    ['1704189602.456     12 10.0.2.58 TCP_TUNNEL/200 5120 CONNECT Login-Verify-Portal.info:443 corp%5Cbob HIER_DIRECT/203.0.113.81 -', 'login-verify-portal.info'],
    ['<13>Jan  2 10:00:03 proxy-01 squid[812]: 10.0.2.59 TCP_TUNNEL/200 0 CONNECT mail.example.org:8443 - HIER_DIRECT/198.51.100.7 -', 'mail.example.org'],
  ] as const) {
    assert.ok(mayBeTlsRecord(line), line);
    assert.equal(tlsServerName(line), name, line);
  }
});

test('no server name: unset, an address, not a host name, escaped, or another record', () => {
  const none = [
    zeekSslTsv('-'),
    zeekSslTsv('10.47.1.208'),
    zeekSslTsv('localhost'),
    zeekSslTsv('bad_name.example'),
    zeekSslTsv('host.example', 'HTTP/1.1'),
    '{"event_type":"tls","tls":{"sni":"a\\u002eexample.com"}}',
    '{"event_type":"tls","tls":{"version":"TLS 1.2"}}',
    '{"server_name":"-"}',
    // a Zeek dns.log and conn.log line: no version column
    ['1521925200.1', 'C2', '10.0.0.1', '5353', '10.0.0.53', '53', 'udp', '1', 'example.com', '1', 'C_INTERNET'].join('\t'),
    'Jan  2 10:00:00 web-01 sshd[1]: Accepted password for alice from 10.0.0.5 port 2222 ssh2',
    // a tunnel to an address, or without a port, names no host
    '1704189602.456 12 10.0.2.58 TCP_TUNNEL/200 5120 CONNECT 203.0.113.81:443 - HIER_DIRECT/203.0.113.81 -',
    'Jan  2 10:00:00 app-01 app[1]: user typed CONNECT example.com now',
  ];
  for (const line of none) assert.equal(tlsServerName(line), null, line);
  assert.ok(!mayBeTlsRecord('Jan  2 10:00:00 web-01 sshd[1]: Accepted password'));
});

test('fuzz: arbitrary fields in a TLS record give a plain lower-case host name or none, never a throw', () => {
  let seed = 7;
  const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const alphabet = 'aZ09.-_"\\\t/:@ é\u0000%';
  const field = (): string => Array.from({ length: Math.floor(rnd() * 20) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
  for (let i = 0; i < 3000; i++) {
    const f = field();
    for (const line of [zeekSslTsv(f), `{"event_type":"tls","tls":{"sni":"${f}"}}`, `{"server_name":"${f}"}`, `1.000 1 10.0.0.1 TCP_TUNNEL/200 0 CONNECT ${f}:443 - -`]) {
      const name = tlsServerName(line);
      if (name !== null) assert.match(name, /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/, JSON.stringify(line));
    }
  }
});
