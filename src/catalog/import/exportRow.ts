/**
 * One row of a national 政务服务事项 catalog export, in the export's own column names. Required
 * columns are those every export carries; the optional ones (别名, 事项描述, 设定依据, 服务对象) are
 * used when present. Values are trimmed text; an empty cell is absent.
 */
export const COLUMNS = {
  name: '事项名称',
  implementationCode: '实施编码',
  kind: '事项类型',
  conditions: '受理条件',
  materials: '申请材料',
  steps: '办理流程',
  legalDays: '法定时限',
  promisedDays: '承诺时限',
  fee: '收费',
  location: '办理地点',
  phone: '咨询电话',
  department: '所属部门',
  theme: '主题',
  aliases: '别名',
  description: '事项描述',
  legalBasis: '设定依据',
  audience: '服务对象',
} as const;
export type ColumnKey = keyof typeof COLUMNS;

const REQUIRED: readonly ColumnKey[] = ['name', 'implementationCode', 'kind', 'steps', 'legalDays', 'promisedDays', 'fee', 'location', 'phone', 'department', 'theme'];

/**
 * The kinds of 政务服务事项 (the national standard's 事项类型). Rows of other kinds in an export —
 * 行政处罚, 行政强制, 行政检查 — are powers of the administration, not services a citizen applies
 * for, and are skipped.
 */
export const SERVICE_KINDS = ['行政许可', '行政给付', '行政确认', '行政裁决', '行政奖励', '行政征收', '行政备案', '其他行政权力', '公共服务'] as const;

/** A row's values by column key, every value present text. */
export type ExportRow = Partial<Record<ColumnKey, string>>;

export const REQUIRED_KEYS = REQUIRED;
export const REQUIRED_COLUMNS = REQUIRED.map((key) => COLUMNS[key]);
export const KNOWN_COLUMNS = new Set<string>(Object.values(COLUMNS));

/** The row's cells by column key; empty cells are left out. */
export function byKey(record: Readonly<Record<string, string | undefined>>): ExportRow {
  const row: ExportRow = {};
  for (const [key, column] of Object.entries(COLUMNS) as Array<[ColumnKey, string]>) {
    const value = record[column]?.trim();
    if (value !== undefined && value !== '') row[key] = value;
  }
  return row;
}
