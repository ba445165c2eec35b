import { defineConfig } from 'vitest/config'

// One vitest workspace: each package is a project with a config of a few lines.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tests', 'bench'],
  },
})
