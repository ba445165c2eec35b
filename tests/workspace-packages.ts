// The publishable packages of this workspace, read from packages/*/package.json (every one that is not private), and
// `pnpm pack` of them with the pinned pnpm (scripts/pnpm.mjs), for the tests that install the tarballs into
// throwaway projects outside the workspace (release.test.ts, migration.test.ts).
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))

/** A package under packages/ that would be published. */
export interface WorkspacePackage {
  /** Folder name under packages/, e.g. `node`. */
  dir: string
  /** Package name, e.g. `@honokit/ws-node`. */
  name: string
  manifest: {
    name: string
    version: string
    dependencies?: Record<string, string>
    devDependencies?: Record<string, string>
    peerDependencies?: Record<string, string>
  }
}

/** Every package under packages/ whose package.json is not `private`, sorted by folder name. */
export function publicPackages(): WorkspacePackage[] {
  const dirs = readdirSync(join(root, 'packages')).sort()
  const found: WorkspacePackage[] = []
  for (const dir of dirs) {
    const file = join(root, 'packages', dir, 'package.json')
    if (!existsSync(file)) continue
    const manifest = JSON.parse(readFileSync(file, 'utf8'))
    if (manifest.private) continue
    found.push({ dir, name: manifest.name, manifest })
  }
  return found
}

/** Runs a command to completion without blocking the event loop; rejects with its output when it fails. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d))
    child.stderr.on('data', (d: Buffer) => (stderr += d))
    const timer = setTimeout(
      () => child.pid && process.kill(child.pid, 'SIGKILL'),
      options.timeoutMs ?? 180_000
    )
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) resolve({ stdout, stderr })
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} (in ${options.cwd}) ended with ${signal ?? code}:\n${stdout}\n${stderr}`
          )
        )
    })
  })
}

/** `pnpm <args>` with the workspace's pinned pnpm (scripts/pnpm.mjs), in `cwd`. */
export function pnpm(args: string[], cwd: string, timeoutMs?: number) {
  return run(process.execPath, [join(root, 'scripts', 'pnpm.mjs'), '--dir', cwd, ...args], {
    cwd: root,
    timeoutMs,
  })
}

/**
 * Packs `packages` (built first: the tarballs hold `dist`) into `dest` with the pinned pnpm; returns the tarball
 * path of each, by folder name. Each pack goes to its own folder first, so concurrent packs cannot mix up files.
 */
export async function packPackages(
  dest: string,
  packages: WorkspacePackage[] = publicPackages()
): Promise<Record<string, string>> {
  const tarballs: Record<string, string> = {}
  await Promise.all(
    packages.map(async (p) => {
      const own = mkdtempSync(join(dest, `.${p.dir}-`))
      await pnpm(['pack', '--pack-destination', own], join(root, 'packages', p.dir))
      const [file] = readdirSync(own).filter((f) => f.endsWith('.tgz'))
      if (!file) throw new Error(`pnpm pack wrote no tarball for ${p.name}`)
      tarballs[p.dir] = join(dest, file)
      renameSync(join(own, file), tarballs[p.dir]!)
      rmSync(own, { recursive: true, force: true })
    })
  )
  return tarballs
}
