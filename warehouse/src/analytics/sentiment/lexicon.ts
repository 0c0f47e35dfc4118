/**
 * A small hand-written polarity lexicon (Spanish, Portuguese, English), the function words that steer it
 * (negators, intensifiers, diminishers, contrast words) and emoji/emoticon polarities. Entries are compared
 * after lower-casing and accent stripping ("péssimo" = "pessimo"); a trailing `*` marks a stem that matches
 * any word starting with it (at least 4 letters long). Weights: ±1 ordinary, ±2 strong, ±0.5 weak.
 *
 * The lexicon is not the model: its hits become features of the linear model (see features.ts), which learns
 * from the labelled tweets how much to trust them.
 */
export type Lang = 'es' | 'pt' | 'en';
export const LANGS: readonly Lang[] = ['es', 'pt', 'en'];

type Entries = Record<string, number>;

function words(list: string, w: number): Entries {
  const o: Entries = {};
  for (const t of list.split(/\s+/)) if (t) o[t] = w;
  return o;
}

const ES: Entries = {
  ...words(`bueno buena buenos buenas bien mejor mejores genial geniales guay chulo chula bonito bonita bonitos bonitas
    precioso preciosa preciosos preciosas encant* gusta gustan gusto gustó gustado gustaría feliz felices alegr* content*
    maravill* perfect* estupend* fantástic* increíble increíbles excelente excelentes top recomiendo recomendable
    recomendado recomendada recomendar gracias agradecid* agradec* ameno amor amo amigos divertid* disfrut* bello bella
    ilusión ilusionad* orgullos* rápido rápida rápidos rápidas sorprend* acierto enhorabuena felicidades
    felicitaciones ganas guapo guapa guapos guapas mola molan molar cómodo cómoda lindo linda lindos lindas favorito favorita
    éxito suerte ideal ideales paz risa risas jaja jajaja jajajaja jeje xd vale brillante disfrutar celebr* besos beso abrazo
    abrazos fiel gran grande grandes apoyo ayuda útil encantador encantadora simpátic* amable amables contento contenta`, 1),
  ...words(`espectacular impresionante brutal buenísimo buenísima buenísimos buenísimas excelente maravilloso maravillosa
    perfecto perfecta mejor adoro adora fascina fascinante`, 2),
  ...words(`llega llegó llegado llegar llegan llegaron recibido recibida responde responden respondido contesta contestan
    contestado respuesta solucion* solucionado`, 0.5),
  ...words(`malo mala malos malas mal peor peores fatal horrible horribles terrible terribles odio odia odiar triste tristes
    tristeza asco asqueros* pena miedo roto rota rotos rotas decepci* defraud* vergüenza vergonzos* indignad* indignante
    mierda jodid* joder puto puta cabread* enfadad* harto harta hartos hartas cansad* aburrid* problema problemas queja
    quejas reclam* estafa timo caro cara caros caras lento lenta retraso retrasos culpa error errores fallo fallos falla
    fallan falló pésimo pésima pésimos pésimas infierno nefast* lamentable vergonzoso vergonzosa preocup* llorar lloro
    llorando dolor duele sufr* muerte muerto muerta mata matar ridícul* absurd* molest* desastre desastroso desastrosa
    inútil inútiles estropead* defectuos* sucio sucia arrepiento arrepentid* perder perdido perdida pierde injust* daño
    eterno eternas eternos eterna insoportable grave crisis dejad* olvidad*`, -1),
  ...words(`horrible pésimo pésima asco odio fatal vergonzoso vergonzosa asqueroso asquerosa desastre estafa infierno`, -2),
};
// Weak: waiting and price complaints; "cara" is also "face".
for (const k of ['espera', 'esperar', 'esperando', 'caro', 'caros', 'caras']) ES[k] = -0.5;
delete ES.cara;

const PT: Entries = {
  ...words(`bom boa bons boas bem melhor melhores legal lindo linda lindos lindas bonito bonita bonitos bonitas maravilh*
    ótimo ótima ótimos ótimas perfeit* incrível incríveis excelente excelentes adoro adorei ador* amo amei amor gosto gostei
    gosta gostou gostamos feliz felizes alegr* content* obrigad* parabéns recomendo recomendado recomendada recomendar
    sucesso top show demais fofo fofa fofos fofas divertid* engraçad* sensacional lind* orgulho orgulhos* rápido rápida
    rápidos rápidas surpreend* acertei acerto gata gato maravilhosa delícia delicios* querid* saudade saudades
    vale valeu haha hahaha hahahaha kkk kkkk kkkkk rs rsrs arrasou arrasa arrasando massa foda incrivel confortável
    favorito favorita paz sorte ideal ganhou vitória campeão brilhante ajuda útil simpátic* amável gentil`, 1),
  ...words(`sensacional maravilhoso maravilhosa perfeito perfeita ótimo ótima excelente incrível espetacular fantástic* amei
    adorei`, 2),
  ...words(`chega chegou chegar chegaram chegando recebi recebido entregue entregou responde responderam respondeu resposta
    explica resolveu resolvido`, 0.5),
  ...words(`ruim ruins mal mau má péssimo péssima péssimos péssimas horrível horríveis terrível terríveis odeio odiei odeia
    ódio triste tristes tristeza nojo nojent* medo vergonha vergonhos* raiva chato chata chatos chatas chatice decepç*
    decepcion* frustrad* irritad* cansad* pena merda porra caralho droga problema problemas reclamaç* reclam* golpe
    caro cara caros caras lento lenta atraso atrasad* atrasos culpa erro erros falha falhou estragou estragad* quebrou
    quebrado quebrada horror lixo pior piores ridícul* absurd* desastre inútil sujo suja arrependo arrependid* perdeu
    perder perdido injust* chorar chorando choro dor doi morte morreu morto mata matar preocup* fila enorme sumiu
    sumido aguentar aguento insuportável grave crise esperando espera esperar nada`, -1),
  ...words(`péssimo péssima horrível nojo odeio lixo vergonha desastre golpe ridículo ridícula`, -2),
};
for (const k of ['cara', 'caro', 'caros', 'caras', 'esperando', 'espera', 'esperar', 'enorme']) PT[k] = -0.5;
PT.nada = 0;
PT.gata = 0.5;
PT.gato = 0.5;
PT.foda = 0.5;

const EN: Entries = {
  ...words(`good great nice love loved loves loving lovely like liked happy glad amazing awesome beautiful gorgeous best
    better excellent fantastic wonderful perfect brilliant cool fun funny enjoy enjoyed enjoying thanks thank grateful
    recommend recommended win won winning wins super fast quick impressed impressive excited exciting proud cute sweet
    favourite favorite fab fabulous incredible lol haha hahaha yay glad hope hopefully pleased smooth easy comfy comfortable
    worth superb stunning delighted delightful pretty kind helpful friendly success successful congrats congratulations
    blessed lucky bless peace positive fine solid wow ready safe free celebrate celebrating beauty`, 1),
  ...words(`amazing awesome excellent fantastic wonderful perfect brilliant incredible superb outstanding stunning gorgeous
    love loved adore`, 2),
  ...words(`arrived arrive arrives delivered deliver delivers replies reply replied answer answered responded respond
    resolved fixed`, 0.5),
  ...words(`bad worse worst terrible awful horrible hate hated hates sad angry annoyed annoying annoys disappoint*
    poor fail failed fails failure wrong broken broke sucks suck sucked ugly boring bored upset problem problems issue issues
    complain complaint complaints delay delayed delays slow rude useless waste wasted scam shame shameful pathetic
    ridiculous disgusting disgusted sick tired fear scared worried worry worrying afraid unhappy unfortunately sorry cry
    crying die died death dead kill killed killing pain hurt lost lose losing miss missing war attack attacks crash stupid
    idiot dumb damn fuck fucking shit crap wtf mess nightmare disaster downhill apart expensive overpriced regret cheap
    lies lying liar fake evil hell hard tragedy tragic victims terror terrorist cancel cancelled cancelling unacceptable
    frustrated frustrating frustration furious mad hardly doubt nobody waiting wait`, -1),
  ...words(`terrible awful horrible hate worst disgusting pathetic nightmare disaster useless`, -2),
};
EN.cheap = -0.5;
EN.waiting = -0.5;
EN.wait = -0.5;
EN.nobody = 0;
EN.miss = -0.5;
EN.hard = -0.5;
EN.like = 0.5;

/** Negators open a negation scope: polarity of the next few words is reversed and their features marked. */
const NEGATORS: Record<Lang, string[]> = {
  es: ['no', 'nunca', 'jamas', 'nada', 'nadie', 'ni', 'tampoco', 'sin', 'ningun', 'ninguna', 'ninguno', 'nah'],
  pt: ['nao', 'nunca', 'jamais', 'nada', 'ninguem', 'nem', 'sem', 'nenhum', 'nenhuma', 'tampouco', 'n', 'ñ'],
  en: ['not', 'no', 'never', 'nothing', 'nobody', 'none', 'neither', 'nor', 'without', 'cannot', 'cant', 'dont', 'didnt',
    'doesnt', 'isnt', 'wasnt', 'arent', 'werent', 'hasnt', 'havent', 'hadnt', 'wont', 'wouldnt', 'shouldnt', 'couldnt', 'aint'],
};
/** "never … again", "nunca más", "nunca mais": a resolution not to come back. */
const AGAIN: Record<Lang, string[]> = { es: ['mas'], pt: ['mais'], en: ['again', 'anymore'] };
const INTENSIFIERS: Record<Lang, string[]> = {
  es: ['muy', 'super', 'realmente', 'bastante', 'tan', 'tanto', 'demasiado', 'mega', 'hiper', 're', 'totalmente', 'absolutamente', 'mucho', 'muchisimo', 'increiblemente', 'sumamente'],
  pt: ['muito', 'muita', 'super', 'bem', 'realmente', 'bastante', 'tao', 'demais', 'mega', 'hiper', 'totalmente', 'absolutamente', 'mto', 'mt', 'extremamente'],
  en: ['very', 'really', 'so', 'super', 'extremely', 'totally', 'absolutely', 'incredibly', 'truly', 'too', 'most', 'such', 'quite', 'highly', 'completely'],
};
const DIMINISHERS: Record<Lang, string[]> = {
  es: ['poco', 'algo', 'casi', 'medio'],
  pt: ['pouco', 'meio', 'quase'],
  en: ['slightly', 'somewhat', 'barely', 'kinda', 'little', 'bit'],
};
/** After a contrast word the clause that follows counts more than the one before ("bonito … pero la calidad es pésima"). */
const CONTRAST: Record<Lang, string[]> = {
  es: ['pero', 'aunque', 'sino', 'embargo'],
  pt: ['mas', 'porem', 'contudo', 'embora', 'entretanto', 'todavia'],
  en: ['but', 'however', 'although', 'though', 'yet'],
};

/** Emoji polarity (−2 … 2); the emoji itself is also a feature of the model. */
const EMOJI: Record<string, number> = {};
for (const [list, w] of [
  ['😍 🥰 😘 ❤ 💕 💖 💗 💓 💞 💘 💝 💜 💙 💚 💛 🧡 🤍 😻 🤩 🥳 🎉 🎊 💯 🏆 🥇', 2],
  ['😊 😀 😃 😄 😁 😆 😂 🤣 😅 😉 😋 😎 🙂 🙌 👏 👍 👌 ✌ 🤗 ✨ 🌟 ⭐ 💪 🙏 🌹 🌸 🌺 💐 ☺ 😇 🤙 🔥 😜 😝 😛 🤪 💃 🕺 🎶 🎵 ☀ 🌞 🌈 🍀 💋 😌 🤤', 1],
  ['😡 🤬 😠 👎 💩 🤮 🤢 😤 💔 😢 😞 😩 😫 😖 😣 😱 😰 😨', -2],
  ['😒 🙄 😑 😔 😟 😕 🙁 ☹ 😓 😪 😥 🤦 😬 😧 😦 🥺 😿 ⚠ 🚫 ❌ 😭', -1],
  ['😐 😶 🤷 🙃 😏 😮 💀', -0.5],
] as [string, number][]) for (const e of list.split(' ')) EMOJI[e] = w;

/** Emoticons (already lower-cased). */
export const EMOTICONS: Record<string, number> = {
  ':)': 1, ':-)': 1, ':d': 1.5, ':-d': 1.5, ';)': 1, ';-)': 1, '=)': 1, ':p': 0.5, ':-p': 0.5, '(:': 1, '<3': 2, ':]': 1, '=d': 1.5, ':3': 1, '^^': 1, '^_^': 1,
  ':(': -1.5, ':-(': -1.5, ":'(": -2, ':/': -1, ':-/': -1, '):': -1.5, '=(': -1.5, ':@': -2, ':|': -0.5, ':s': -1, '</3': -2, 'd:': -1.5,
};

export interface LexiconEntry { polarity: number; negator: boolean; intensifier: boolean; diminisher: boolean; contrast: boolean; again: boolean }

const ACCENTS: Record<string, string> = {
  á: 'a', à: 'a', â: 'a', ã: 'a', ä: 'a', å: 'a', é: 'e', è: 'e', ê: 'e', ë: 'e', í: 'i', ì: 'i', î: 'i', ï: 'i',
  ó: 'o', ò: 'o', ô: 'o', õ: 'o', ö: 'o', ú: 'u', ù: 'u', û: 'u', ü: 'u', ç: 'c', ñ: 'n', ý: 'y', ÿ: 'y',
};
/** Lower case without accents, as the lexicon and the word features compare words. */
export function fold(s: string): string {
  let out = '';
  let changed = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const r = c.charCodeAt(0) >= 0xc0 ? ACCENTS[c] : undefined;
    if (r !== undefined) { out += r; changed = true; } else out += c;
  }
  return changed ? out : s;
}

export class LangLexicon {
  private readonly exact = new Map<string, number>();
  private readonly stems = new Map<string, number>();
  private readonly negators: Set<string>;
  private readonly intens: Set<string>;
  private readonly dimin: Set<string>;
  private readonly contrast: Set<string>;
  private readonly again: Set<string>;
  private readonly cache = new Map<string, LexiconEntry>();
  constructor(entries: Entries, lang: Lang) {
    for (const [k, w] of Object.entries(entries)) {
      if (k.endsWith('*')) this.stems.set(fold(k.slice(0, -1)), w);
      else this.exact.set(fold(k), w);
    }
    this.negators = new Set(NEGATORS[lang].map(fold));
    this.intens = new Set(INTENSIFIERS[lang].map(fold));
    this.dimin = new Set(DIMINISHERS[lang].map(fold));
    this.contrast = new Set(CONTRAST[lang].map(fold));
    this.again = new Set(AGAIN[lang]);
  }
  /** What the lexicon knows of a folded word (memoised). */
  get(w: string): LexiconEntry {
    let e = this.cache.get(w);
    if (e === undefined) {
      let polarity = this.exact.get(w);
      if (polarity === undefined) {
        polarity = 0;
        for (let n = Math.min(w.length, 12); n >= 4; n--) {
          const s = this.stems.get(w.slice(0, n));
          if (s !== undefined) { polarity = s; break; }
        }
      }
      e = { polarity, negator: this.negators.has(w), intensifier: this.intens.has(w), diminisher: this.dimin.has(w), contrast: this.contrast.has(w), again: this.again.has(w) };
      if (this.cache.size > 200_000) this.cache.clear();
      this.cache.set(w, e);
    }
    return e;
  }
}

export const LEXICONS: Record<Lang, LangLexicon> = { es: new LangLexicon(ES, 'es'), pt: new LangLexicon(PT, 'pt'), en: new LangLexicon(EN, 'en') };

export function emojiPolarity(e: string): number {
  return EMOJI[e] ?? 0;
}

/** Function words of each language (and of a few others, so that French or Italian text is not forced into ours). */
export const STOPWORDS: Record<Lang | 'fr' | 'it' | 'de' | 'ca', string> = {
  es: 'el la los las de del que y en un una unos unas es por con para no me mi mis muy pero lo le les se al está están estoy hay ya todo todos nada como más yo tu tú te su sus qué cuando donde ha he han son ser fue era este esta esto estos estas ese esa eso hoy mañana también porque pues sí bien hace hacer tengo tiene tienen vez algo alguien sabe sabéis llegado gracias nuevo nueva otra otro sin hasta desde sobre cada',
  pt: 'o a os as de do da dos das que e em um uma uns umas é não com para na no nas nos meu minha meus minhas muito mas ele ela eles elas eu você vocês está estão estou tem têm já tudo todos nada como mais isso isto esse essa este esta aquele seu sua seus suas quando onde foi era ser são ao aos pelo pela pelos pelas também porque então hoje amanhã sim bem faz fazer tenho vai vou alguém sabe chegou obrigado obrigada nova novo outra outro sem até desde sobre cada ainda agora',
  en: 'the a an of and to in is it you that he she was for on are with as i his her they be at one have this from or had by not but what all were we when your can said there use each which do how their if will up other about out many then them these so some would make like him into time has look two more go see no way could my than first been who its now people my made over did down only just me our get got really very love from new day',
  fr: 'le la les de des du et est un une que qui dans pour pas sur au aux avec ce cette ces il elle nous vous ils sont mais ou donc je tu mon ma mes ton ta très plus être avoir fait était bien aussi comme tout',
  it: 'il lo la gli le di del della che e è un una per non con sono mi ti ci si ma anche come questo questa molto più essere ho hai ha abbiamo tutto ancora perché della nel nella gli degli',
  de: 'der die das und ist nicht ein eine zu den mit von sich auf für es im dem sie ich du wir ihr auch als an so wie aber noch nach bei aus wenn sehr ja nein war sind haben wird kann mein dein',
  ca: 'el la els les de del que i en un una és per amb no em meu molt però ho tot res com més jo tu ell ella això aquest aquesta avui també perquè doncs sí bé fa fer tinc té ja',
};
