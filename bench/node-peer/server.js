// Comparison peer for bench/server.sh: node-oidc-provider issuing RFC 8628 device codes,
// with its default in-memory adapter and one statically registered public client.
//
//   PORT=8080 [WORKERS=N] node server.js      (or: node server.js 8080)
//
// Listens on 127.0.0.1 only. WORKERS=N (default 1) runs N processes under node's cluster
// module, all sharing the port; each has its own in-memory store, so a device code issued by
// one worker is unknown to the others (fine for POST /device/auth, which is all the bench uses).
// When every process listens, prints exactly one line to stdout:
//   listening on http://127.0.0.1:PORT
// SIGTERM or SIGINT stops it (the primary stops its workers first). No per-request logs;
// oidc-provider's own warnings and notices go to stderr.
import cluster from 'node:cluster';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import process from 'node:process';

const host = '127.0.0.1';

function fail(message) {
  process.stderr.write(`node-peer: ${message}\n`);
  process.exit(2);
}

function parseCount(value, name) {
  if (!/^[1-9][0-9]*$/.test(value)) fail(`${name} must be a positive integer, not '${value}'`);
  return Number(value);
}

const port = parseCount(process.env.PORT ?? process.argv[2] ?? '', 'PORT (or the first argument)');
if (port > 65535) fail(`PORT must be at most 65535, not ${port}`);
const workers = parseCount(process.env.WORKERS ?? '1', 'WORKERS');
const url = `http://${host}:${port}`;

// One signing key and one cookie secret for every process, made by the primary (or the only
// process) and handed to workers in the environment: otherwise oidc-provider falls back to its
// development keys with a warning, and the workers would disagree about keys.
function makeSecrets() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return JSON.stringify({
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'bench-peer', alg: 'RS256', use: 'sig' }] },
    cookieKeys: [randomBytes(32).toString('base64url')],
  });
}

async function serve(secrets, onListening) {
  // stdout carries the ready line only: oidc-provider prints its notices (such as the first
  // call of a default page renderer) with console.info, so send those to stderr.
  console.info = console.warn;
  console.log = console.warn;
  // Imported here so that a cluster primary never loads the provider.
  const { default: Provider } = await import('oidc-provider');
  const provider = new Provider(url, {
    clients: [{
      client_id: 'bench-peer',
      token_endpoint_auth_method: 'none',
      grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
      response_types: [],
      redirect_uris: [],
    }],
    features: {
      deviceFlow: { enabled: true },
    },
    // Set explicitly (the default, 600 s): the default TTL function prints a notice when first called.
    ttl: { DeviceCode: 600 },
    jwks: secrets.jwks,
    cookies: { keys: secrets.cookieKeys },
  });
  // Koa prints errors that are not client errors; keep that, with no per-request logging.
  const server = http.createServer(provider.callback());
  server.keepAliveTimeout = 65_000;
  server.listen(port, host, onListening);
  server.on('error', (err) => fail(`cannot listen on ${url}: ${err.message}`));
  return server;
}

function stopServer(server) {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
}

if (workers === 1) {
  const server = await serve(JSON.parse(makeSecrets()), () => {
    process.stdout.write(`listening on ${url}\n`);
  });
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => stopServer(server));
} else if (cluster.isPrimary) {
  const secrets = makeSecrets();
  let listening = 0;
  let exited = 0;
  let stopping = false;
  cluster.on('listening', () => {
    listening += 1;
    if (listening === workers) process.stdout.write(`listening on ${url}\n`);
  });
  cluster.on('exit', (worker, code, signal) => {
    exited += 1;
    if (!stopping) {
      stopping = true;
      process.stderr.write(`node-peer: worker ${worker.process.pid} exited (${signal ?? code}), stopping\n`);
      for (const other of Object.values(cluster.workers)) if (other !== worker) other.process.kill('SIGTERM');
      process.exitCode = 1;
    }
    if (exited === workers) process.exit();
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers)) worker.process.kill('SIGTERM');
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  for (let i = 0; i < workers; i += 1) cluster.fork({ NODE_PEER_SECRETS: secrets });
} else {
  const server = await serve(JSON.parse(process.env.NODE_PEER_SECRETS), () => {});
  delete process.env.NODE_PEER_SECRETS;
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => stopServer(server));
}
