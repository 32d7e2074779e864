// isomorphic-git in Node against a gitwar server: one operation per run, driven by
// io.gitwar.it.IsomorphicGitNodeIT, which checks the server's side with the git CLI.
//
//   node iso-node.mjs <operation> <json arguments>
//
// Prints "key value" lines (one fact each) and exits 0, or prints "error <code> <message>" and exits 1.
import fs from 'node:fs'
import path from 'node:path'
import git from 'isomorphic-git'
import http from 'isomorphic-git/http/node'

const author = { name: 'Iso Node', email: 'iso@example.invalid', timestamp: 1700100000, timezoneOffset: 0 }

const say = (key, value) => console.log(`${key} ${value}`)

async function commitFile (dir, file, content, message) {
  await fs.promises.writeFile(path.join(dir, file), content)
  await git.add({ fs, dir, filepath: file })
  return git.commit({ fs, dir, message, author })
}

const operations = {
  // a full clone, or a shallow one with depth / since / exclude and singleBranch
  async clone ({ url, dir, depth, since, exclude, singleBranch }) {
    await git.clone({
      fs, http, dir, url, depth, singleBranch,
      since: since ? new Date(since * 1000) : undefined,
      exclude: exclude ? [exclude] : undefined
    })
    say('head', await git.resolveRef({ fs, dir, ref: 'HEAD' }))
    say('commits', (await git.log({ fs, dir })).length)
    say('branches', (await git.listBranches({ fs, dir, remote: 'origin' })).filter(b => b !== 'HEAD').join(','))
  },

  async fetch ({ url, dir }) {
    const r = await git.fetch({ fs, http, dir, url, ref: 'main', singleBranch: true })
    say('fetchHead', r.fetchHead)
    say('origin/main', await git.resolveRef({ fs, dir, ref: 'refs/remotes/origin/main' }))
  },

  // commit a file on a new branch and push that branch
  async pushNewBranch ({ dir, branch, file }) {
    await git.branch({ fs, dir, ref: branch, checkout: true })
    const oid = await commitFile(dir, file, `made by isomorphic-git on ${branch}\n`, `iso: new branch ${branch}`)
    const r = await git.push({ fs, http, dir, remote: 'origin', ref: branch })
    say('commit', oid)
    say('ok', r.ok)
    say('status', r.refs[`refs/heads/${branch}`].ok)
  },

  async pushUpdate ({ dir, branch, file }) {
    const oid = await commitFile(dir, file, `updated by isomorphic-git on ${branch}\n`, `iso: update ${branch}`)
    const r = await git.push({ fs, http, dir, remote: 'origin', ref: branch })
    say('commit', oid)
    say('ok', r.ok)
  },

  async pushTag ({ dir, tag }) {
    await git.annotatedTag({ fs, dir, ref: tag, message: `tag ${tag}`, tagger: author })
    const r = await git.push({ fs, http, dir, remote: 'origin', ref: `refs/tags/${tag}` })
    say('tag', await git.resolveRef({ fs, dir, ref: `refs/tags/${tag}` }))
    say('ok', r.ok)
  },

  async deleteBranch ({ dir, branch }) {
    const r = await git.push({ fs, http, dir, remote: 'origin', ref: branch, delete: true })
    say('ok', r.ok)
  },

  // protocol v2: ls-refs
  async listServerRefs ({ url, prefix }) {
    const refs = await git.listServerRefs({ http, url, protocolVersion: 2, prefix, symrefs: true, peelTags: true })
    for (const r of refs) {
      say('ref', `${r.oid} ${r.ref}${r.target ? ' -> ' + r.target : ''}${r.peeled ? ' ^' + r.peeled : ''}`)
    }
  },

  // protocol v1: the upload-pack advertisement
  async getRemoteInfo ({ url }) {
    const info = await git.getRemoteInfo({ http, url })
    say('capabilities', info.capabilities.join(' '))
    say('HEAD', info.HEAD)
    say('main', info.refs.heads.main)
  }
}

const [operation, json] = process.argv.slice(2)
try {
  if (!operations[operation]) throw new Error(`unknown operation ${operation}`)
  await operations[operation](JSON.parse(json || '{}'))
} catch (e) {
  console.log(`error ${e.code || e.name} ${String(e.message).replace(/\n/g, ' ')}`)
  process.exitCode = 1
}
