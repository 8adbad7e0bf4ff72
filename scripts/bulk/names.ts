import type { Rng } from './rng.js';

/**
 * Word pools for realistic Chinese names, unit names, case titles and descriptions: `q` searches and
 * CSV exports then work on text like the real thing. Nothing here needs JSON escaping (no quotes,
 * backslashes or control characters), which the clone step relies on (see case-template.ts).
 */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强志明海燕红梅晓东晓明文博子涵浩然宇轩雨萱欣怡梓涵思远立新卫东春生秋菊冬梅国庆爱民振华永红'.match(
    /.{1,2}/gu,
  )!;

export const CITY_NAMES = [
  '青川',
  '临江',
  '云阳',
  '东平',
  '南岭',
  '西河',
  '北山',
  '安宁',
  '长乐',
  '永丰',
  '清溪',
  '丰泽',
  '石门',
  '白沙',
  '金塘',
  '玉屏',
];
const COUNTY_ROOTS = [
  '桃源',
  '柳营',
  '龙泉',
  '凤台',
  '松林',
  '梅岭',
  '竹溪',
  '杏坛',
  '兰亭',
  '菊潭',
  '枫桥',
  '荷塘',
  '槐荫',
  '樟树',
  '榆林',
  '杉木',
  '柏堰',
  '桐梓',
  '梧冈',
  '榕城',
];
const COUNTY_SUFFIXES = ['县', '区', '县', '县', '市'];

const PLACES = ['镇', '乡', '街道', '村', '社区', '开发区', '工业园', '农场'];
const MATTERS = [
  '高标准农田建设项目',
  '农村人居环境整治',
  '招商引资协议',
  '集体土地流转试点',
  '老旧小区改造工程',
  '防汛物资采购',
  '疫情防控物资调配',
  '乡村振兴产业扶持资金',
  '学校食堂食材采购',
  '河道清淤工程',
  '安置房分配',
  '营商环境改革试点',
  '惠农补贴发放',
  '危房改造项目',
  '道路硬化工程',
  '集体经济合作社投资',
  '污水处理设施运营',
  '旅游景区开发合同',
  '医保基金结算',
  '政府购买服务合同',
];
const PROBLEMS = [
  '未经集体决策先行签约',
  '超预算支出',
  '审批程序倒置',
  '资金拨付延迟',
  '验收把关不严',
  '信息公开不及时',
  '合同条款存在漏洞',
  '台账记录缺失',
  '监管不到位造成损失',
  '探索性改革出现偏差',
  '应急处置未及时报告',
  '政策理解有误',
  '执行标准不统一',
  '数据填报失实',
];
const CAUSES = [
  '经查，相关负责人在推进工作中主动担当，但对政策边界把握不准。',
  '据审计发现，项目实施过程中存在程序瑕疵，未造成重大损失。',
  '群众来信反映，经初步核实情况基本属实。',
  '巡察组在常规巡察中发现该问题并移交。',
  '当事人主动说明情况并提出容错申请。',
  '上级部门督查时发现，已责令限期整改。',
];
const FOLLOWUPS = [
  '损失已基本挽回，当事人积极配合调查。',
  '相关资金已追回，整改措施正在落实。',
  '尚未造成不良社会影响。',
  '当事人对问题认识深刻，已作出书面检查。',
  '涉及金额较大，需进一步核实。',
  '事发时无明确禁止性规定。',
];

export const CATEGORIES = [
  'project-approval',
  'procurement',
  'land-use',
  'funds-management',
  'emergency-response',
  'public-services',
  'reform-pilot',
  'investment-promotion',
];

export function personName(rng: Rng): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN);
}

export function countyName(rng: Rng, index: number): string {
  return `${COUNTY_ROOTS[index % COUNTY_ROOTS.length]}${index >= COUNTY_ROOTS.length ? String(Math.floor(index / COUNTY_ROOTS.length) + 1) : ''}${rng.pick(COUNTY_SUFFIXES)}`;
}

/** e.g. 桃源县柳营镇高标准农田建设项目未经集体决策先行签约 */
export function caseTitle(rng: Rng, unitName: string): string {
  return `${unitName}${rng.pick(COUNTY_ROOTS)}${rng.pick(PLACES)}${rng.pick(MATTERS)}${rng.pick(PROBLEMS)}`;
}

export function caseDescription(rng: Rng): string {
  const amount = rng.int(2, 900) * 10000;
  return `${rng.pick(CAUSES)}涉及金额约${amount}元。${rng.pick(FOLLOWUPS)}`;
}
