import { connect as connectTcp, isIP } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { ISocketFactory } from 'kafkajs';
import { ConnectionError } from '../errors/index.js';

/** A producer's sockets, and a switch that stops it from dialling again once it has been dropped. */
export interface ProducerSockets {
  readonly factory: ISocketFactory;
  /** After this, every dial fails: an abandoned kafkajs send loop cannot reconnect and ends on its bounded connect retries. */
  retire(): void;
}

/**
 * kafkajs's own socket factory (TCP keep-alive, TLS with the dialled host name
 * as SNI unless it is an IP) plus `retire`. Node checks the broker certificate
 * against the host dialled (`checkServerIdentity` left as is), so a certificate
 * for another name is refused before any credential is sent.
 */
export function producerSockets(): ProducerSockets {
  let retired = false;
  const factory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
    if (retired) throw new ConnectionError(`${host}:${port}`, 'the producer was dropped after a failed flush');
    const tlsOptions = typeof ssl === 'object' && ssl !== null ? ssl : {};
    const socket = ssl
      ? connectTls({ host, port, ...(isIP(host) ? {} : { servername: host }), ...tlsOptions }, onConnect)
      : connectTcp({ host, port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    return socket;
  };
  return {
    factory,
    retire: () => {
      retired = true;
    },
  };
}
