// gitwar's web pages in a real browser: Debian's headless Chromium, driven by playwright-core, opens
// each page as a person would (a navigation, so Accept names text/html) and reports what it saw.
// Driven by io.gitwar.it.PagesIT.
//
//   node pages.mjs '{"repositoryUrl": "...", "repositoryShot": "target/pages-repository.png", "fileUrl": "...", ...}'
//
// For every key NAMEUrl it prints "NAME-status", "NAME-dialogs" (alert/confirm/prompt opened: a
// script ran), "NAME-scripts" (script elements in the DOM), "NAME-handlers" (elements with on*
// attributes), "NAME-errors" (page errors), "NAME-text" (the body's text, one line) and, if
// NAMEShot is given, saves a full-page screenshot there (NAMEPhoneShot: at a phone's width).
// "control-dialogs" proves the dialog count works: a page that does call alert() must count 1.
import { chromium } from 'playwright-core'

const args = JSON.parse(process.argv[2])
const say = (key, value) => console.log(`${key} ${String(value).replace(/\s+/g, ' ')}`)

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', // Debian's; playwright never downloads one here
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1']
})

async function visit (context, name, url, shot) {
  const tab = await context.newPage()
  let dialogs = 0
  let errors = 0
  tab.on('dialog', d => { dialogs++; d.dismiss().catch(() => {}) })
  tab.on('pageerror', () => { errors++ })
  const response = url === null ? null : await tab.goto(url, { waitUntil: 'load' })
  if (url === null) {
    await tab.setContent('<p>control</p><img src="data:," onerror="alert(1)"><script>alert(2)</script>', { waitUntil: 'load' })
  }
  say(`${name}-status`, response === null ? 0 : response.status())
  say(`${name}-dialogs`, dialogs)
  say(`${name}-errors`, errors)
  say(`${name}-scripts`, await tab.evaluate(() => document.scripts.length))
  say(`${name}-handlers`, await tab.evaluate(() =>
    [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length))
  say(`${name}-text`, await tab.evaluate(() => document.body.innerText))
  if (shot) {
    await tab.screenshot({ path: shot, fullPage: true })
  }
  await tab.close()
}

try {
  const desktop = await browser.newContext({ viewport: { width: 1200, height: 1600 } })
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true })
  await visit(desktop, 'control', null, null)
  for (const key of Object.keys(args).filter(k => k.endsWith('Url'))) {
    const name = key.slice(0, -3)
    await visit(desktop, name, args[key], args[`${name}Shot`])
    if (args[`${name}PhoneShot`]) {
      await visit(phone, `${name}-phone`, args[key], args[`${name}PhoneShot`])
    }
  }
} finally {
  await browser.close()
}
