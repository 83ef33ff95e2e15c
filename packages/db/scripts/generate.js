// Runs `prisma generate` for the schema in prisma/. The generator needs no
// schema engine, but the CLI looks for one and tries to download it; any
// executable path satisfies that check, so point it at node itself when the
// caller has not chosen a binary.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';
execFileSync(
  process.execPath,
  [
    require.resolve('prisma/build/index.js'),
    'generate',
    '--schema',
    path.resolve(__dirname, '../../../prisma/schema.prisma'),
  ],
  { env, stdio: 'inherit' },
);
