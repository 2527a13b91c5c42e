import { readFileSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const banner = `/*! ${pkg.name} v${pkg.version} | ${pkg.license} License */`;
const name = 'videojsMediaCollection';
const globals = { 'video.js': 'videojs' };

/**
 * Property names used only inside the plugin, shortened in the minified build. None of them
 * may be an option, an API body field, a public member, or a member of video.js or the DOM
 * that the plugin reads: the browser tests run the minified build.
 */
const INTERNAL = [
  'features', 'session', 'closed', 'active', 'enterBreak', 'exitBreak', 'pace', 'restart', 'emit',
  'sid', 'dead', 'live', 'moved', 'started', 'extrapolate', 'finalize', 'release', 'discard', 'flush',
  'tries', 'config', 'delivery', 'playback', 'listen', 'problem', 'trace', 'gone', 'base', 'ping',
  'adPing', 'idle', 'context', 'qoe', 'breakStart', 'breakEnd', 'adEnd', 'attach', 'errors', 'warnings', 'inBreak', 'pending', 'consent', 'event', 'resume', 'src', 'opening', 'unblock'
];

/** Writes the package version into the source, where it says `__VERSION__`. */
const version = () => ({
  name: 'version',
  transform: (code) => ({ code: code.replaceAll('__VERSION__', JSON.stringify(pkg.version)), map: null })
});

export default {
  input: 'src/plugin.ts',
  external: ['video.js'],
  plugins: [version(), typescript({ tsconfig: './tsconfig.json', noEmitOnError: true })],
  output: [
    { file: 'dist/videojs-media-collection.js', format: 'umd', name, globals, banner, exports: 'default' },
    {
      file: 'dist/videojs-media-collection.min.js',
      format: 'umd',
      name,
      globals,
      banner,
      exports: 'default',
      // Without the directive: the classes are strict anyway, and nothing else needs it.
      strict: false,
      plugins: [
        terser({
          format: { comments: /^!/ },
          ecma: 2022,
          compress: { ecma: 2022, passes: 3 },
          // builtins: names like `closed` or `flush` are shortened too, though the DOM has them.
          mangle: { properties: { builtins: true, regex: new RegExp(`^(${INTERNAL.join('|')})$`) } }
        })
      ]
    },
    { file: 'dist/videojs-media-collection.es.js', format: 'es', banner },
    { file: 'dist/videojs-media-collection.cjs.js', format: 'cjs', banner, exports: 'default' }
  ]
};
