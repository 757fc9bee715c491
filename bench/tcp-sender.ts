/** Sends a file over TCP as LF-framed syslog, as fast as the receiver's backpressure allows. Run as a child process. */
import { createReadStream } from 'node:fs';
import { connect } from 'node:net';

const [file, port] = [process.argv[2]!, Number(process.argv[3])];
const socket = connect({ host: '127.0.0.1', port }, () => {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  stream.pipe(socket);
  stream.on('end', () => socket.end());
});
socket.on('close', () => process.exit(0));
socket.on('error', (e) => {
  process.stderr.write(`tcp-sender: ${e.message}\n`);
  process.exit(1);
});
