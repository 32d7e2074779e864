// isomorphic-git in a real browser: Debian's headless Chromium, driven by playwright-core, loads a
// page from ANOTHER origin than gitwar (this script's own little HTTP server), so every request to
// gitwar is cross-origin and CORS is real. Driven by io.gitwar.it.IsomorphicGitBrowserIT /
// ClientServerIT, which check the server's side with the git CLI.
//
//   node browser.mjs '{"url": "<repository URL>", "pagePort": 8480, "branch": "...", "file": "...", "content": "..."}'
//
// Prints "key value" facts: what the page's clone/commit/push returned, and the console's CORS errors.
import http from 'node:http'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import esbuild from 'esbuild'
import { chromium } from 'playwright-core'

const here = path.dirname(fileURLToPath(import.meta.url))
const args = JSON.parse(process.argv[2])
const say = (key, value) => console.log(`${key} ${String(value).replace(/\n/g, ' ')}`)

// the page's script: isomorphic-git, its web client, lightning-fs and a Buffer, bundled offline
const bundle = await esbuild.build({
  entryPoints: [path.join(here, 'browser', 'client.js')],
  bundle: true,
  format: 'iife',
  platform: 'browser',
  write: false,
  logLevel: 'error'
})
const script = bundle.outputFiles[0].text
const page = '<!doctype html><html><head><meta charset="utf-8"><title>gitwar browser test</title>' +
  '<script src="/client.js"></script></head><body>isomorphic-git against gitwar</body></html>'

const server = http.createServer((req, res) => {
  if (req.url === '/client.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
  } else if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(page)
  } else {
    res.writeHead(404).end()
  }
})
await new Promise((resolve, reject) => server.once('error', reject).listen(args.pagePort, '127.0.0.1', resolve))

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', // Debian's; playwright never downloads one here
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1']
})
try {
  const context = await browser.newContext() // a fresh profile: no cached preflights
  const tab = await context.newPage()
  tab.on('console', m => { if (/CORS|Access-Control/i.test(m.text())) say('cors-console', m.text()) })
  const origin = `http://127.0.0.1:${args.pagePort}`
  await tab.goto(`${origin}/`)
  say('page-origin', origin)
  const r = await tab.evaluate(a => window.gitwarClient.cloneCommitPush(a), {
    url: args.url, branch: args.branch, file: args.file, content: args.content
  })
  for (const [k, v] of Object.entries(r)) say(k, v)
} finally {
  await browser.close()
  server.close()
}
