import { resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import cssInjectedByJsPlugin from 'vite-plugin-css-injected-by-js';

// Must match the widget's type, the key under "node-red-dashboard-2".widgets in package.json: Dashboard looks
// the built library up as window[<type>].
const LIBRARY_NAME = 'ui-signalwire-conference';

export default defineConfig({
  // The component's styles travel inside the .umd.js, the one file Dashboard loads.
  plugins: [vue(), cssInjectedByJsPlugin()],
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    lib: {
      entry: resolve(import.meta.dirname, 'ui/index.js'),
      name: LIBRARY_NAME,
      formats: ['umd'],
      fileName: () => `${LIBRARY_NAME}.umd.js`,
    },
    // Node-RED serves a package's resources/ folder at /resources/<package>/: Dashboard loads the widget there.
    outDir: 'resources',
    emptyOutDir: true,
    rollupOptions: {
      // Dashboard's own Vue runs the component.
      external: ['vue'],
      output: { globals: { vue: 'Vue' } },
    },
  },
});
