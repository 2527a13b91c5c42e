import { readFileSync } from 'node:fs';
import typescript from '@rollup/plugin-typescript';
import terser from '@rollup/plugin-terser';
import ts from 'typescript';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const banner = `/*! ${pkg.name} v${pkg.version} | ${pkg.license} License */`;
const name = 'videojsMediaCollection';
const globals = { 'video.js': 'videojs' };

/** Writes the package version into the source, where it says `__VERSION__`. */
const version = () => ({
  name: 'version',
  transform: (code) => ({ code: code.replaceAll('__VERSION__', JSON.stringify(pkg.version)), map: null })
});

/**
 * The type entries of the CommonJS and ES builds (package.json `exports`), beside the
 * declarations tsc writes from src/ into dist/types/. tsc writes `export default MediaCollection`
 * into plugin.d.ts; in a CommonJS file that would mean `module.exports.default`, but the CommonJS
 * build sets `module.exports` itself (`exports: 'default'`).
 *
 * index.d.ts, for `require` (and `types`): `export =` the class. TypeScript allows no other
 * export beside `export =`, so the type exports of src/plugin.ts become aliases in a namespace of
 * the same name, read from src/plugin.ts with TypeScript's checker.
 *
 * index.d.mts, for `import`: an ES module whose default export is the class. It takes it from
 * index.d.ts (Node gives an ES import of a CommonJS module its `module.exports`, and TypeScript
 * follows), not from plugin.d.ts (whose `module.exports` is an object with a `default`).
 */
function typeExports() {
  const program = ts.createProgram(['src/plugin.ts'], {
    noEmit: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: []
  });
  const checker = program.getTypeChecker();
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile('src/plugin.ts')));
  return exported
    .filter((symbol) => symbol.name !== 'default')
    .map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      if (target.declarations?.some((declaration) => declaration.typeParameters?.length)) {
        throw new Error(`type entries: ${symbol.name} has type parameters, which the alias in index.d.ts must repeat`);
      }
      return symbol.name;
    })
    .sort();
}

const cjsTypes = () => ({
  name: 'cjs-types',
  generateBundle() {
    const aliases = typeExports().map((name) => `  type ${name} = types.${name};\n`);
    const source =
      '// The types of the CommonJS build, which sets module.exports to the class. Written by rollup.config.mjs.\n' +
      "import Tracker from './plugin.js';\n" +
      "import type * as types from './plugin.js';\n" +
      'declare const MediaCollection: typeof Tracker;\n' +
      'type MediaCollection = Tracker;\n' +
      `declare namespace MediaCollection {\n${aliases.join('')}}\n` +
      'export = MediaCollection;\n';
    this.emitFile({ type: 'asset', fileName: 'types/index.d.ts', source });
  }
});

const esTypes = () => ({
  name: 'es-types',
  generateBundle() {
    const source =
      '// The types of the ES build, whose default export is the class. Written by rollup.config.mjs.\n' +
      "export { default } from './index.js';\n" +
      "export * from './plugin.js';\n";
    this.emitFile({ type: 'asset', fileName: 'types/index.d.mts', source });
  }
});

/** The minifier of the `.min.js` builds: the license banner kept. */
const minify = () => terser({ format: { comments: /^!/ }, ecma: 2022, compress: { ecma: 2022, passes: 3 } });

const plugin = {
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
      plugins: [minify()]
    },
    // .mjs and .cjs: Node reads each in its own format whatever package.json's `type` says.
    { file: 'dist/videojs-media-collection.mjs', format: 'es', banner, plugins: [esTypes()] },
    { file: 'dist/videojs-media-collection.cjs', format: 'cjs', banner, exports: 'default', plugins: [cjsTypes()] }
  ]
};

const elementName = 'mediaCollectionElement';

/** The types of the element entry's ES build: the same declarations as its CommonJS build's. */
const elementTypes = () => ({
  name: 'element-types',
  generateBundle() {
    const source = "// The types of the ES build of the element entry. Written by rollup.config.mjs.\nexport * from './element.js';\n";
    this.emitFile({ type: 'asset', fileName: 'types/element.d.mts', source });
  }
});

/** `trackMedia` for any media element and Video.js 10: no video.js, nothing external. */
const element = {
  input: 'src/element.ts',
  plugins: [version(), typescript({ tsconfig: './tsconfig.json', noEmitOnError: true, declaration: false, declarationDir: undefined })],
  output: [
    { file: 'dist/media-collection-element.js', format: 'umd', name: elementName, banner, exports: 'named' },
    {
      file: 'dist/media-collection-element.min.js',
      format: 'umd',
      name: elementName,
      banner,
      exports: 'named',
      plugins: [minify()]
    },
    { file: 'dist/media-collection-element.mjs', format: 'es', banner, plugins: [elementTypes()] },
    { file: 'dist/media-collection-element.cjs', format: 'cjs', banner, exports: 'named' }
  ]
};

export default [plugin, element];
