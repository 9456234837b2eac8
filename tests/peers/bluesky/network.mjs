// A real local Bluesky network for switchboard-bluesky's tests and benchmark.
//
// Starts a throwaway PostgreSQL cluster and Redis on loopback ports, then @atproto/dev-env's
// TestNetwork (PLC directory, PDS, AppView, bsync, Ozone), every server bound to
// 127.0.0.1. Creates a brand account and two customer accounts, each with an app password,
// and prints ONE JSON line on stdout when ready:
//
//   {"ready":true,"pds":"http://127.0.0.1:P","appview":"…","plc":"…",
//    "brand":{"handle","did","password","appPassword"},"customers":[…]}
//
// Then it answers control lines on stdin, one JSON line on stdout each:
//   process                 wait until the AppView has indexed everything written so far
//   expired-token <did>     an app-password access token for <did> that has already expired
//
// Everything shuts down when stdin closes (the test process exited) or on SIGTERM/SIGINT.
// All logging goes to stderr; stdout carries only the protocol.

import { spawn, spawnSync, execFileSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'

const LOOPBACK = '127.0.0.1'
const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n')
const log = (...args) => process.stderr.write(`[bluesky-peer] ${args.join(' ')}\n`)
// Libraries log with console.log; keep stdout for the protocol.
console.log = console.error
console.info = console.error

// Every server dev-env starts calls `listen(port)`, which binds all interfaces: bind them
// to loopback instead.
const originalListen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const first = args[0]
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (args.length === 1 || typeof args[1] === 'function') args.splice(1, 0, LOOPBACK)
  } else if (first && typeof first === 'object' && !first.path && !first.host) {
    args[0] = { ...first, host: LOOPBACK }
  } else if (first === undefined || typeof first === 'function') {
    args.unshift(0, LOOPBACK)
  }
  return originalListen.apply(this, args)
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    originalListen.call(server, 0, LOOPBACK, () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-bluesky-'))
const children = []
let postgres = null

function postgresBinDir() {
  const root = '/usr/lib/postgresql'
  if (fs.existsSync(root)) {
    const versions = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a))
    for (const v of versions) {
      const dir = path.join(root, v, 'bin')
      if (fs.existsSync(path.join(dir, 'initdb'))) return dir
    }
  }
  return '' // rely on PATH
}

// initdb refuses to run as root: run PostgreSQL as the `postgres` user then.
function postgresUser() {
  if (process.getuid?.() !== 0) return {}
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
  return { uid, gid }
}

async function startPostgres() {
  const bin = postgresBinDir()
  const tool = (name) => (bin ? path.join(bin, name) : name)
  const user = postgresUser()
  const dataDir = path.join(workDir, 'pg')
  const socketDir = path.join(workDir, 'pgsock')
  fs.mkdirSync(dataDir)
  fs.mkdirSync(socketDir)
  if (user.uid !== undefined) {
    fs.chownSync(workDir, user.uid, user.gid)
    fs.chownSync(dataDir, user.uid, user.gid)
    fs.chownSync(socketDir, user.uid, user.gid)
  }
  const options = { ...user, stdio: ['ignore', 'ignore', 'inherit'], cwd: workDir }
  const init = spawnSync(
    tool('initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    options,
  )
  if (init.status !== 0) throw new Error(`initdb failed (${init.status ?? init.error})`)
  const port = await freePort()
  const settings = [
    `-p ${port}`,
    `-k ${socketDir}`,
    `-c listen_addresses=${LOOPBACK}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ')
  const start = spawnSync(
    tool('pg_ctl'),
    ['-D', dataDir, '-o', settings, '-l', path.join(workDir, 'pg.log'), '-w', 'start'],
    options,
  )
  if (start.status !== 0) throw new Error(`pg_ctl start failed (${start.status ?? start.error})`)
  postgres = { stop: () => spawnSync(tool('pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop'], options) }
  return `postgresql://postgres@${LOOPBACK}:${port}/postgres`
}

async function startRedis() {
  const port = await freePort()
  const redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', LOOPBACK, '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  )
  children.push(redis)
  for (let i = 0; i < 200; i++) {
    const up = await new Promise((resolve) => {
      const socket = net.connect(port, LOOPBACK)
      socket.once('connect', () => (socket.destroy(), resolve(true)))
      socket.once('error', () => resolve(false))
    })
    if (up) return `${LOOPBACK}:${port}`
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error('redis-server did not start within 5 s')
}

let network = null
let stopping = false
function stopServicesNow() {
  for (const child of children) child.kill('SIGKILL')
  postgres?.stop()
  fs.rmSync(workDir, { recursive: true, force: true })
}
async function shutdown(code = 0) {
  if (stopping) return
  stopping = true
  const deadline = setTimeout(() => (stopServicesNow(), process.exit(code)), 5000)
  try {
    await network?.close()
  } catch (err) {
    log('closing the network:', err?.message ?? err)
  }
  clearTimeout(deadline)
  stopServicesNow()
  process.exit(code)
}
process.on('SIGTERM', () => shutdown(0))
process.on('SIGINT', () => shutdown(0))
process.on('uncaughtException', (err) => {
  log('fatal:', err?.stack ?? err)
  shutdown(1)
})

// Localhost URLs the servers announce, spelled with the loopback address.
const loopbackUrl = (url) => url.replace('//localhost:', `//${LOOPBACK}:`)

async function xrpc(url, nsid, body, token) {
  const res = await fetch(`${url}/xrpc/${nsid}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  })
  const json = await res.json()
  if (!res.ok) throw new Error(`${nsid}: ${res.status} ${JSON.stringify(json)}`)
  return json
}

async function createAccount(pdsUrl, name) {
  const password = `pw-${crypto.randomBytes(9).toString('hex')}`
  const handle = `${name}.test`
  const session = await xrpc(pdsUrl, 'com.atproto.server.createAccount', {
    handle,
    email: `${name}@example.test`,
    password,
  })
  const app = await xrpc(
    pdsUrl,
    'com.atproto.server.createAppPassword',
    { name: 'switchboard' },
    session.accessJwt,
  )
  await xrpc(
    pdsUrl,
    'com.atproto.repo.createRecord',
    {
      repo: session.did,
      collection: 'app.bsky.actor.profile',
      rkey: 'self',
      record: { $type: 'app.bsky.actor.profile', displayName: `${name} (test)` },
    },
    session.accessJwt,
  )
  return { handle, did: session.did, password, appPassword: app.password }
}

// An HS256 access token signed with dev-env's JWT secret, expired a minute ago.
function expiredAccessToken(did) {
  const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url')
  const now = Math.floor(Date.now() / 1000)
  const header = b64({ typ: 'at+jwt', alg: 'HS256' })
  const payload = b64({
    scope: 'com.atproto.appPass',
    aud: network.pds.ctx.cfg.service.did,
    sub: did,
    iat: now - 7200,
    exp: now - 60,
  })
  const signature = crypto.createHmac('sha256', 'jwt-secret').update(`${header}.${payload}`).digest('base64url')
  return `${header}.${payload}.${signature}`
}

async function main() {
  const started = Date.now()
  process.env.DB_POSTGRES_URL = await startPostgres()
  process.env.REDIS_HOST = await startRedis()
  const { TestNetwork } = await import('@atproto/dev-env')
  network = await TestNetwork.create({ dbPostgresSchema: 'switchboard' })
  const pds = loopbackUrl(network.pds.url)
  const brand = await createAccount(pds, 'brand')
  const customers = [await createAccount(pds, 'ana'), await createAccount(pds, 'ben')]
  await network.processAll()
  log(`ready in ${Date.now() - started} ms`)
  out({
    ready: true,
    pds,
    appview: loopbackUrl(network.bsky.url),
    plc: loopbackUrl(network.plc.url),
    appviewDid: network.bsky.ctx.cfg.serverDid,
    brand,
    customers,
  })

  const lines = readline.createInterface({ input: process.stdin })
  lines.on('line', async (line) => {
    const [command, arg] = line.trim().split(/\s+/)
    try {
      if (command === 'process') {
        await network.processAll()
        out({ ok: 'process' })
      } else if (command === 'expired-token') {
        out({ ok: 'expired-token', token: expiredAccessToken(arg) })
      } else if (command) {
        out({ error: `unknown command ${command}` })
      }
    } catch (err) {
      out({ error: String(err?.message ?? err) })
    }
  })
  lines.on('close', () => shutdown(0))
}

main().catch((err) => {
  log('could not start:', err?.stack ?? err)
  out({ ready: false, error: String(err?.message ?? err) })
  shutdown(1)
})
