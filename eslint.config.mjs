import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';

const browserGlobals = {
  window: 'readonly',
  document: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
};

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'coverage/',
      'node_modules/',
      '.demo/',
      'test-artifacts/',
      'bench/results/',
      // The conference panel's build output.
      'packages/dashboard-2/nodes/*.js',
      'packages/dashboard-2/resources/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['scripts/**/*.js', '.ci/**/*.js', 'packages/*/scripts/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Editor scripts Node-RED serves to the browser, next to the editor's own globals.
    files: ['resources/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { RED: 'readonly', $: 'readonly' } },
  },
  // The conference panel's Dashboard 2 widget: Vue single-file components run in the browser.
  ...vue.configs['flat/recommended'].map((config) => ({ ...config, files: ['packages/dashboard-2/ui/**/*.vue'] })),
  {
    files: ['packages/dashboard-2/ui/**/*.{vue,js,ts}'],
    languageOptions: { globals: browserGlobals },
    rules: {
      // Prettier lays the templates out.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-indent': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-closing-bracket-newline': 'off',
    },
  },
);
