import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { decideEsmHook, esmIncludeList, patchedModulesOf } from '../../src/sdk/esmHook';
import { createInstrumentations } from '../../src/sdk/instrumentations';

/** The module names the instrumentations patch. */
const modulesOf = (instrumentations: readonly unknown[]) => patchedModulesOf(instrumentations).map((m) => m.name);

describe('esmHook.ts', () => {
  describe('.patchedModulesOf()', () => {
    it('lists the modules the built-in instrumentations patch, and nothing else', () => {
      const names = modulesOf(createInstrumentations({ ignoreIncomingPaths: [], expressLayerSpans: false }));
      expect(names).to.include.members(['http', 'https', 'pg', 'pg-pool', 'express', '@nestjs/core']);
      expect(names).not.to.include('@nestjs/common');
    });

    it('keeps the versions each instrumentation patches, its files\' included (patchedModulesOf), * when none is given', () => {
      const mods = patchedModulesOf(createInstrumentations({ ignoreIncomingPaths: [], expressLayerSpans: false }));
      expect(mods.find((m) => m.name === '@nestjs/core')).to.deep.equal({ name: '@nestjs/core', supportedVersions: ['>=4.0.0 <12'], includePrerelease: false });
      expect(patchedModulesOf([{ getModuleDefinitions: () => [{ name: 'x' }] }])).to.deep.equal([{ name: 'x', supportedVersions: ['*'], includePrerelease: false }]);
      // the ranges of the files it patches count too
      const withFiles = [{ getModuleDefinitions: () => [{ name: 'y', supportedVersions: ['>=1 <2'], includePrerelease: true, files: [{ supportedVersions: ['>=1 <3'] }, null] }] }];
      expect(patchedModulesOf(withFiles)).to.deep.equal([{ name: 'y', supportedVersions: ['>=1 <2', '>=1 <3'], includePrerelease: true }]);
    });

    it('skips objects that are not instrumentations', () => {
      expect(modulesOf([{}, null, { getModuleDefinitions: () => [{ name: 42 }, { name: 'x' }] }])).to.deep.equal(['x']);
    });
  });

  describe('.esmIncludeList()', () => {
    it('adds the node: form of builtins only, without duplicates', () => {
      expect(esmIncludeList(['http', 'express', 'http', 'node:fs'])).to.deep.equal(['http', 'node:http', 'express', 'node:fs']);
    });
  });

  describe('.decideEsmHook()', () => {
    let root: string;
    const write = (rel: string, content: unknown) => {
      const file = path.join(root, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
      return file;
    };
    const modules = [
      { name: 'http', supportedVersions: ['*'] },
      { name: 'node:https', supportedVersions: ['*'] },
      { name: 'pg', supportedVersions: ['>=8.0.3 <9'] },
      { name: 'express', supportedVersions: ['>=4.0.0 <6'] },
      { name: '@nestjs/core', supportedVersions: ['>=4.0.0 <12'] },
    ];

    beforeEach(() => {
      root = mkdtempSync(path.join(tmpdir(), 'ql-esm-'));
      write('app/package.json', { name: 'app' });
      write('app/node_modules/pg/package.json', { name: 'pg', exports: { '.': { import: './esm/index.mjs', require: './lib/index.js' } } });
      write('node_modules/express/package.json', { name: 'express' });
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('leaves it off for a CommonJS app whose instrumented packages are CommonJS (a dual package with an ESM wrapper too)', () => {
      const main = write('app/dist/main.js', '');
      expect(decideEsmHook(modules, { mainPath: main, cwd: root, esmEntry: false })).to.deep.equal({
        on: false,
        reason: 'no ES-module app or instrumented package',
      });
    });

    it('turns it on when an instrumented package found upwards from the main script is an ES module its instrumentation patches', () => {
      write('node_modules/@nestjs/core/package.json', { name: '@nestjs/core', type: 'module', version: '11.1.0' });
      const main = write('app/dist/main.js', '');
      expect(decideEsmHook(modules, { mainPath: main, cwd: '/', esmEntry: false })).to.deep.equal({ on: true, reason: '@nestjs/core 11.1.0 is an ES module' });
    });

    it('leaves it off for an ES-module package outside its instrumentation\'s versions (NestJS 12), and says so', () => {
      write('node_modules/@nestjs/core/package.json', { name: '@nestjs/core', type: 'module', version: '12.5.1' });
      const main = write('app/dist/main.js', '');
      expect(decideEsmHook(modules, { mainPath: main, cwd: root, esmEntry: false })).to.deep.equal({
        on: false,
        reason: 'no ES-module app or instrumented package; @nestjs/core 12.5.1 is an ES module its instrumentation does not patch (>=4.0.0 <12)',
      });
      // a prerelease inside the range counts only when the definition includes prereleases (OpenTelemetry's rule)
      write('node_modules/@nestjs/core/package.json', { name: '@nestjs/core', type: 'module', version: '11.2.0-rc.1' });
      expect(decideEsmHook(modules, { mainPath: main, cwd: root, esmEntry: false }).on).to.equal(false);
      const withPre = modules.map((m) => (m.name === '@nestjs/core' ? { ...m, includePrerelease: true } : m));
      expect(decideEsmHook(withPre, { mainPath: main, cwd: root, esmEntry: false }).on).to.equal(true);
    });

    it('counts a package without a version as patched only by a * range (OpenTelemetry\'s rule)', () => {
      write('node_modules/@nestjs/core/package.json', { name: '@nestjs/core', type: 'module' });
      const main = write('app/dist/main.js', '');
      expect(decideEsmHook(modules, { mainPath: main, cwd: root, esmEntry: false }).reason).to.contain('@nestjs/core (no version) is an ES module its instrumentation does not patch');
      const any = modules.map((m) => (m.name === '@nestjs/core' ? { ...m, supportedVersions: ['*'] } : m));
      expect(decideEsmHook(any, { mainPath: main, cwd: root, esmEntry: false })).to.deep.equal({ on: true, reason: '@nestjs/core is an ES module' });
    });

    it("finds a dependency of a dependency in pnpm's hoisted store (node_modules/.pnpm/node_modules)", () => {
      write('node_modules/.pnpm/node_modules/@nestjs/core/package.json', { name: '@nestjs/core', type: 'module', version: '10.0.0' });
      const main = write('app/dist/main.js', '');
      expect(decideEsmHook(modules, { mainPath: main, cwd: root, esmEntry: false })).to.deep.equal({ on: true, reason: '@nestjs/core 10.0.0 is an ES module' });
    });

    it('also looks from the working directory (node -e, a REPL)', () => {
      write('app/node_modules/express/package.json', { name: 'express', type: 'module', version: '5.0.0' });
      expect(decideEsmHook(modules, { mainPath: undefined, cwd: path.join(root, 'app'), esmEntry: false }).reason).to.equal('express 5.0.0 is an ES module');
    });

    it('turns it on for an ES module main script: .mjs, or .js under "type": "module"', () => {
      const mjs = write('app/main.mjs', '');
      expect(decideEsmHook(modules, { mainPath: mjs, cwd: root, esmEntry: false })).to.deep.equal({ on: true, reason: 'the main script is an ES module' });
      write('esm/package.json', { type: 'module' });
      const js = write('esm/src/main.js', '');
      expect(decideEsmHook(modules, { mainPath: js, cwd: root, esmEntry: false }).on).to.equal(true);
      const cjs = write('esm/src/main.cjs', '');
      expect(decideEsmHook(modules, { mainPath: cjs, cwd: root, esmEntry: false }).on).to.equal(false);
    });

    it('turns it on when the register was loaded with --import', () => {
      const main = write('app/dist/main.js', '');
      expect(decideEsmHook(modules, { mainPath: main, cwd: root, esmEntry: true })).to.deep.equal({ on: true, reason: 'the register was loaded with --import' });
    });

    it('ignores builtins and unreadable package.json files', () => {
      write('app/node_modules/http/package.json', { type: 'module' });
      write('app/node_modules/express/package.json', '{ not json');
      const main = write('app/dist/main.js', '');
      expect(decideEsmHook(modules.slice(0, 4), { mainPath: main, cwd: root, esmEntry: false }).on).to.equal(false);
    });
  });

  describe('.installCjsBridge()', () => {
    let root: string;
    before(() => {
      root = mkdtempSync(path.join(tmpdir(), 'ql-bridge-'));
      mkdirSync(path.join(root, 'node_modules', 'ql-fake-pkg'), { recursive: true });
      writeFileSync(path.join(root, 'node_modules', 'ql-fake-pkg', 'package.json'), JSON.stringify({ name: 'ql-fake-pkg', version: '1.0.0', main: 'index.js' }));
      writeFileSync(path.join(root, 'node_modules', 'ql-fake-pkg', 'index.js'), 'exports.value = 42;\n');
      writeFileSync(
        path.join(root, 'app.mjs'),
        "import pkg, { value } from 'ql-fake-pkg';\nexport const seen = { patched: pkg.patched === true, value, defaultValue: pkg.value };\n",
      );
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    const run = (env: Record<string, string>) =>
      JSON.parse(
        execFileSync(process.execPath, [path.join(__dirname, '..', 'fixtures', 'cjs-bridge-app.js'), path.join(root, 'app.mjs')], {
          env: { ...process.env, ...env },
          encoding: 'utf8',
        }),
      ) as { patched: boolean; value: number; defaultValue: number };

    it('lets an instrumentation patch a CommonJS package that an ES module imports', () => {
      expect(run({})).to.deep.equal({ patched: true, value: 42, defaultValue: 42 });
    });

    it('is what makes the difference: without it the ES module gets the package unpatched', () => {
      expect(run({ QL_NO_BRIDGE: '1' })).to.deep.equal({ patched: false, value: 42, defaultValue: 42 });
    });
  });
});
