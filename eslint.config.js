import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'nml-data/**', '.exp/**', 'bench/corpus/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  { files: ['src/cli/**', 'bench/**', 'scripts/**', 'test/**', '**/*.test.ts'], rules: { 'no-console': 'off' } },
  { files: ['scripts/**/*.mjs', 'bin/**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
