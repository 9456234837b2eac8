// Pulls every mention/reply/quote notification of an account with the official
// @atproto/api client, the way switchboard-bluesky's benchmark pulls them, and prints
// {"count": n, "timesMs": [...]} (one time per run, after one untimed warm-up run).
//
//   node pull.mjs <pds-url> <handle> <app-password> <runs>

import { AtpAgent } from '@atproto/api'

const [service, identifier, password, runsArg] = process.argv.slice(2)
const runs = Number(runsArg ?? 3)
const agent = new AtpAgent({ service })
await agent.login({ identifier, password })

async function pullAll() {
  let cursor
  let count = 0
  for (;;) {
    const res = await agent.app.bsky.notification.listNotifications({
      limit: 100,
      cursor,
      reasons: ['mention', 'reply', 'quote'],
    })
    count += res.data.notifications.length
    cursor = res.data.cursor
    if (!cursor) return count
  }
}

await pullAll()
const timesMs = []
let count = 0
for (let i = 0; i < runs; i++) {
  const started = performance.now()
  count = await pullAll()
  timesMs.push(performance.now() - started)
}
process.stdout.write(JSON.stringify({ count, timesMs }) + '\n')
