import { connect } from 'node:net';

/** Whether something accepts TCP connections on 127.0.0.1:port right now (for servers the tests start). */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    }).on('error', () => resolve(false));
  });
}
