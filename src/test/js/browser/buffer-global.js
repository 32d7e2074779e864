// isomorphic-git's browser code expects a global Buffer (else "Missing Buffer dependency").
// Imported first by client.js, so it runs before isomorphic-git's modules.
import { Buffer } from 'buffer'

globalThis.Buffer = Buffer
