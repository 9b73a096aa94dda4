import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCatalog, parseCatalog } from '../../src/catalog/catalog.js';
import { ExportHeaderError, importCatalog } from '../../src/catalog/import/importCatalog.js';
import { parseDays, parseMaterial, splitList } from '../../src/catalog/import/mapRow.js';
import { readExport } from '../../src/catalog/import/readExport.js';

const EXPORT = resolve('test/fixtures/catalog-export.csv');

describe('catalog import from a 政务服务事项 export', () => {
  it('adds new items, updates matching ones and reports each bad row with its line', async () => {
    const catalog = loadCatalog(resolve('intents')).data;
    const result = importCatalog(catalog, readExport(await readFile(EXPORT, 'utf8')));
    expect(result.added).to.deep.equal(['11440305mb2c10001x4000111001']);
    expect(result.updated).to.deep.equal(['residence-permit-apply']);
    expect(result.unknownColumns).to.deep.equal(['备注']);
    expect(result.skipped.map((p) => `${p.line}: ${p.message}`)).to.deep.equal([
      '7: 事项类型: "行政处罚" is not a kind of service item (行政许可、行政给付、行政确认、行政裁决、行政奖励、行政征收、行政备案、其他行政权力、公共服务)',
      '8: 法定时限: is empty',
      '9: 法定时限: "三十天" is not a number of working days',
      '10: 实施编码 11440305MB2C10001X4000111001 was already imported from line 2',
      '11: row has 3 cell(s), the header has 15',
    ]);
    const added = result.catalog.items.find((item) => item.code === '11440305mb2c10001x4000111001');
    expect(added?.conditions).to.deep.equal(['因工程建设确需挖掘城市道路', '已取得规划许可']);
    expect(added?.materials).to.deep.equal([
      { name: '城市道路挖掘申请表', form: '在线填报', copies: 0 },
      { name: '施工方案', form: '原件', copies: 1 },
      { name: '营业执照', form: '复印件', copies: 1 },
    ]);
    expect(added?.steps).to.have.length(4);
    expect(added?.timeLimit).to.deep.equal({ legalDays: 20, promisedDays: 10 });
    expect(added?.hallId).to.equal('ns-main');
    const updated = result.catalog.items.find((item) => item.code === 'residence-permit-apply');
    expect(updated?.implementationCode).to.equal('11440305MB2C10002X4000111002');
    expect(updated?.aliases).to.include('暂住证');
    expect(updated?.modes.online).to.equal(true);
    expect(() => parseCatalog(JSON.stringify(result.catalog))).to.not.throw();
  });

  it('reads the same rows from a JSON export, with their lines', () => {
    const json = JSON.stringify(
      [
        { 事项名称: '甲', 实施编码: 'A1', 事项类型: '公共服务', 办理流程: ['申请', '办结'], 法定时限: '即办', 承诺时限: '即办', 收费: '不收费', 办理地点: '大厅', 咨询电话: '1', 所属部门: '区局', 主题: '其他' },
        { 事项名称: '乙', 实施编码: 'A2', 事项类型: '行政检查' },
      ],
      null,
      2,
    );
    const result = importCatalog(loadCatalog(resolve('intents')).data, readExport(json));
    expect(result.added).to.deep.equal(['a1']);
    expect(result.skipped[0]?.line).to.equal(18);
  });

  it('refuses an export without a required column', () => {
    expect(() => importCatalog(loadCatalog(resolve('intents')).data, readExport('事项名称,实施编码\n甲,A1\n'))).to.throw(ExportHeaderError, '事项类型');
  });

  it('reads the export\'s list, time-limit and material conventions', () => {
    expect(splitList('1. 甲\n2. 乙；丙')).to.deep.equal(['甲', '乙', '丙']);
    expect(splitList('（1）甲（2）乙')).to.deep.equal(['甲', '乙']);
    expect([parseDays('20个工作日'), parseDays('即办'), parseDays('7'), parseDays('尽快')]).to.deep.equal([20, 0, 7, undefined]);
    expect(parseMaterial('户口簿（原件及复印件2份）')).to.deep.equal({ name: '户口簿', form: '原件及复印件', copies: 2 });
    expect(parseMaterial('在校证明（就读时提供）')).to.deep.equal({ name: '在校证明', form: '原件', copies: 1, note: '就读时提供' });
  });

  it('npm run catalog:import writes a valid catalog and prints skipped rows as file:line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'catalog-import-'));
    try {
      const catalogPath = join(dir, 'services.json');
      await copyFile(resolve('intents/catalog/services.json'), catalogPath);
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/catalog/import/cli.ts', EXPORT, '--catalog', catalogPath], { encoding: 'utf8' });
      expect(run.status, run.stderr).to.equal(0);
      expect(run.stdout).to.include('1 item(s) added, 1 updated, 5 row(s) skipped');
      expect(run.stderr).to.include(`${EXPORT}:7: skipped:`);
      const written = parseCatalog(await readFile(catalogPath, 'utf8'));
      expect(written.item('11440305mb2c10001x4000111001')?.name).to.equal('城市道路挖掘修复许可');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
