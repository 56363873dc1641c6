import type { Language } from '../model.js';

/**
 * Simplified/Traditional pairs where each form is used by one script only, picked from the
 * Unihan database's kSimplifiedVariant/kTraditionalVariant among frequent news vocabulary.
 * Characters shared by both scripts (后, 台, 里, 范, 于, 干 ...) are left out on purpose.
 */
const PAIRS = (
  '国國 这這 说說 会會 对對 时時 为為 们們 来來 关關 发發 与與 经經 过過 还還 进進 东東 长長 问問 题題 ' +
  '报報 导導 战戰 乌烏 罗羅 军軍 华華 务務 习習 亚亞 议議 决決 实實 现現 开開 见見 认認 让讓 样樣 机機 ' +
  '动動 员員 区區 边邊 门門 间間 总總 统統 领領 达達 访訪 谈談 请請 应應 当當 从從 义義 网網 个個 举舉 ' +
  '层層 种種 头頭 点點 体體 声聲 产產 业業 无無 书書 买買 卖賣 写寫 电電 车車 马馬 币幣 历歷 变變 将將 ' +
  '党黨 处處 纪紀 约約 级級 线線 组組 织織 给給 结結 继繼 续續 维維 视視 记記 论論 语語 读讀 该該 际際 ' +
  '队隊 险險 难難 苏蘇 联聯 协協 双雙 显顯 闻聞 响響 预預 顺順 须須 风風 驻駐 压壓 广廣 张張 强強 态態 ' +
  '护護 担擔 据據 敌敵 势勢 杀殺 权權 条條 极極 标標 欢歡 气氣 汉漢 没沒 济濟 热熱 状狀 独獨 环環 确確 ' +
  '离離 称稱 稳穩 类類 紧緊 终終 编編 职職 胜勝 营營 观觀 规規 计計 设設 证證 评評 识識 话話 调調 谁誰 ' +
  '负負 责責 货貨 质質 购購 贸貿 费費 资資 转轉 载載 较較 输輸 农農 运運 远遠 连連 选選 释釋 钱錢 铁鐵 ' +
  '错錯 闭閉 阳陽 陈陳 随隨 虽雖 韩韓 频頻 额額 鲜鮮 龙龍 轮輪 击擊 库庫 图圖 团團 坚堅 报報'
)
  .split(' ')
  .filter((pair) => pair.length === 2);

const SIMPLIFIED = new Set(PAIRS.map((pair) => pair[0]!));
const TRADITIONAL = new Set(PAIRS.map((pair) => pair[1]!));

/** Tells Simplified from Traditional Chinese by counting characters that only one script uses. */
export function detectLanguage(text: string, fallback: Language = 'zh-Hans'): Language {
  let score = 0;
  for (const ch of text) {
    if (SIMPLIFIED.has(ch)) score -= 1;
    else if (TRADITIONAL.has(ch)) score += 1;
  }
  if (score === 0) return fallback;
  return score > 0 ? 'zh-Hant' : 'zh-Hans';
}
