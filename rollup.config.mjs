import { readFileSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const banner = `/*! ${pkg.name} v${pkg.version} | (c) ${pkg.author} | ${pkg.license} License */`;
const name = 'videojsMediaCollection';
const globals = { 'video.js': 'videojs' };

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
      plugins: [terser({ format: { comments: /^!/ }, compress: { passes: 2 } })]
    },
    { file: 'dist/videojs-media-collection.es.js', format: 'es', banner },
    { file: 'dist/videojs-media-collection.cjs.js', format: 'cjs', banner, exports: 'default' }
  ]
};
