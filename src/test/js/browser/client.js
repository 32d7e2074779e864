// The page's Git client: isomorphic-git with its web HTTP client and lightning-fs (IndexedDB), as
// browsers in the wild use them. Bundled by ../browser.mjs with esbuild; exposes window.gitwarClient.
import './buffer-global.js'
import git from 'isomorphic-git'
import http from 'isomorphic-git/http/web'
import LightningFS from '@isomorphic-git/lightning-fs'

const author = { name: 'Iso Browser', email: 'browser@example.invalid' }

window.gitwarClient = {
  // clone, commit a file on a new branch, push it; then read the refs with protocol v2 (whose
  // Git-Protocol header makes even the GET a preflighted request)
  async cloneCommitPush ({ url, branch, file, content }) {
    try {
      const fs = new LightningFS('gitwar-test', { wipe: true })
      const dir = '/repo'
      await git.clone({ fs, http, dir, url, singleBranch: true, depth: 1 }) // as in the README's example
      const head = await git.resolveRef({ fs, dir, ref: 'HEAD' })
      await git.branch({ fs, dir, ref: branch, checkout: true })
      await fs.promises.writeFile(`${dir}/${file}`, content)
      await git.add({ fs, dir, filepath: file })
      const commit = await git.commit({ fs, dir, message: `browser: ${file}`, author })
      const pushed = await git.push({ fs, http, dir, remote: 'origin', ref: branch })
      const refs = await git.listServerRefs({ http, url, protocolVersion: 2, prefix: `refs/heads/${branch}` })
      return { head, commit, ok: pushed.ok, v2ref: refs.map(r => `${r.oid} ${r.ref}`).join(',') }
    } catch (e) {
      return { error: e.code || e.name, message: String(e.message) }
    }
  }
}
