// The unit tests on video.js 7 (project `unit-vjs7`). video.js 8 bundles
// videojs-contrib-quality-levels; on 7 it is a separate plugin that sites add. This stand-in has
// the parts of its list (v3/v4 alike) that the plugin and the tests use, on the same video.js.
import videojs from 'video.js';

// The alias in vitest.config.mjs must have given this project video.js 7.
const { VERSION } = videojs as unknown as { VERSION: string };
if (!VERSION.startsWith('7.')) throw new Error(`unit-vjs7 runs on video.js ${VERSION}, not 7`);

class QualityLevelList extends videojs.EventTarget {
  levels_: Array<Record<string, unknown>> = [];
  selectedIndex_ = -1;
  get length() {
    return this.levels_.length;
  }
  get selectedIndex() {
    return this.selectedIndex_;
  }
  addQualityLevel({ id, width, height, bandwidth, frameRate }: Record<string, unknown>) {
    const index = this.levels_.length;
    const level = { id, label: id, width, height, bitrate: bandwidth, frameRate };
    Object.defineProperty(this, index, { get: () => this.levels_[index], configurable: true });
    this.levels_.push(level);
    this.trigger({ type: 'addqualitylevel', qualityLevel: level } as never);
    return level;
  }
}

if (!videojs.getPlugin('qualityLevels')) {
  videojs.registerPlugin('qualityLevels', function (this: Record<string, unknown>) {
    const list = new QualityLevelList();
    this.qualityLevels = () => list;
    return list;
  });
}
