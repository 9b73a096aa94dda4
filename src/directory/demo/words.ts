/**
 * The pieces synthetic enterprises are made of: trade names, industry words by section, contact
 * names, streets by weight. Test and demo data only — what the bot says lives in cards/ and
 * intents/; these are the kind of values a real directory export holds.
 */
export const TRADE_NAMES = [
  '星河', '海纳', '智联', '云帆', '鹏程', '蓝湾', '科韵', '华创', '粤芯', '南岭', '深蓝', '银湖', '万象', '新锐', '博远', '瑞丰',
  '汇智', '启航', '恒达', '天弘', '金桥', '同创', '睿思', '领航', '乐活', '悦享', '鸿图', '海岸', '湾区', '凌云', '卓越', '德信',
  '嘉禾', '泰和', '永盛', '合众', '思远', '优品', '宏图', '星辰', '光合', '青禾', '沐阳', '安捷', '迅达', '精工', '拓普', '微光',
  '芯源', '极客', '数海', '云栖', '灵犀', '知行', '格物', '致远', '明德', '惠通', '信达', '长青', '丰泽', '和顺', '兴业', '立信',
  '百川', '千帆', '万里', '九州', '四海', '三和', '一诺', '云图', '光年', '磐石', '清源', '远航', '晨曦', '朗润', '拾光', '澄明',
];

/** Industry words by GB/T 4754 section, and the divisions a generated enterprise of it has. */
export const SECTIONS: Record<string, { weight: number; words: string[]; divisions: number[] }> = {
  I: { weight: 25, words: ['科技', '信息技术', '软件', '网络科技', '数据科技', '智能科技'], divisions: [63, 64, 65] },
  C: { weight: 16, words: ['电子', '智能制造', '精密机械', '新材料', '生物医药', '医疗器械', '光电'], divisions: [26, 27, 34, 35, 38, 39, 40] },
  M: { weight: 13, words: ['技术服务', '检测技术', '设计', '工程技术'], divisions: [73, 74, 75] },
  F: { weight: 14, words: ['贸易', '商贸', '供应链', '电子商务'], divisions: [51, 52] },
  L: { weight: 8, words: ['商务咨询', '企业管理咨询', '广告', '人力资源'], divisions: [71, 72] },
  H: { weight: 6, words: ['餐饮管理', '酒店管理', '餐饮'], divisions: [61, 62] },
  R: { weight: 4, words: ['文化传媒', '影视', '文化发展', '体育发展'], divisions: [86, 87, 88, 89] },
  K: { weight: 3, words: ['物业管理', '房地产开发'], divisions: [70] },
  E: { weight: 3, words: ['建筑工程', '装饰工程'], divisions: [47, 48, 49, 50] },
  G: { weight: 2, words: ['物流', '运输'], divisions: [54, 58, 59] },
  P: { weight: 2, words: ['教育科技', '培训'], divisions: [83] },
  Q: { weight: 1, words: ['健康管理', '医疗管理'], divisions: [84] },
  N: { weight: 1, words: ['环保科技', '园林绿化'], divisions: [77, 78] },
  O: { weight: 1, words: ['家政服务', '维修服务'], divisions: [80, 81] },
  D: { weight: 1, words: ['能源科技', '新能源'], divisions: [44, 45] },
};

/** What a sole trader (个体工商户) of a section calls its shop. */
export const SHOP_WORDS: Record<string, string> = { H: '餐馆', F: '商行', O: '服务部', R: '工作室', L: '工作室' };

export const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢'];
export const GIVEN_NAMES = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '建华', '晓东', '志强', '海燕', '俊', '婷', '浩', '宇', '欣怡', '子涵', '思远', '嘉怡', '梓轩'];

export const STREETS: Array<[string, number]> = [
  ['粤海街道', 30],
  ['南山街道', 12],
  ['南头街道', 12],
  ['沙河街道', 10],
  ['蛇口街道', 10],
  ['招商街道', 8],
  ['桃源街道', 8],
  ['西丽街道', 10],
];

export const TYPES: Array<[string, number]> = [
  ['有限责任公司', 70],
  ['股份有限公司', 7],
  ['个体工商户', 10],
  ['外商投资企业', 5],
  ['合伙企业', 3],
  ['个人独资企业', 4],
  ['国有企业', 1],
];
