#!/usr/bin/env bash
# Makes the sample media of the demo page and the browser tests from ffmpeg's test sources.
# Idempotent: every output is rewritten from scratch (hls/ is removed first so no stale
# segment survives a change of settings), and the encodes are bitexact so a rerun with the
# same ffmpeg gives the same bytes. See README.md for what each file is for.
set -euo pipefail

cd "$(dirname "$0")"

command -v ffmpeg >/dev/null || { echo "make.sh: ffmpeg is not installed" >&2; exit 1; }

FPS=24
# One font for the burnt-in label and running timestamp; without it the video has no text
# (drawtext would fail), which the tests do not depend on.
FONT=""
for candidate in \
  "$(fc-match -f '%{file}' 'DejaVu Sans Mono:bold' 2>/dev/null || true)" \
  /usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf \
  /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf; do
  if [[ -n "$candidate" && -f "$candidate" ]]; then FONT="$candidate"; break; fi
done

# The video filter chain for a label at a height: the label and a running h:m:s.ms timestamp,
# so a screenshot or a glance at the demo shows which file and which moment is playing.
text_filter() {
  local label="$1" height="$2"
  if [[ -z "$FONT" ]]; then return; fi
  local size=$((height / 9))
  local box="box=1:boxcolor=black@0.6:boxborderw=4:fontcolor=white:fontsize=${size}:fontfile=${FONT}"
  printf ",drawtext=%s:x=8:y=8:text=%s,drawtext=%s:x=8:y=h-th-8:text='%%{pts\\\\:hms}'" \
    "$box" "$label" "$box"
}

# Flags that keep the output byte-for-byte reproducible so that rerunning the script shows no
# change to commit: no version strings or dates in the container metadata, and one encoder
# thread (x264's output with several threads differs from run to run).
BITEXACT=(-map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact -threads 1)

# H.264 Main@3.0 in yuv420p (every browser decodes it), a keyframe every second so tests can
# seek anywhere, capped at a low rate to keep the committed files small.
video_mp4_opts() {
  echo -c:v libx264 -profile:v main -level:v 3.0 -pix_fmt yuv420p -preset medium \
    -crf 30 -maxrate 150k -bufsize 300k \
    -g "$FPS" -keyint_min "$FPS" -sc_threshold 0
}
AUDIO_OPTS=(-c:a aac -ac 1 -ar 48000 -b:a 64k)

# A sine with a short beep every second: audibly "running" and easy to tell apart from silence.
sine() { echo "sine=frequency=440:beep_factor=4:sample_rate=48000:duration=$1"; }

# make_mp4 <output> <seconds> <label>
make_mp4() {
  local out="$1" seconds="$2" label="$3"
  # shellcheck disable=SC2046 # the option lists are meant to split into words
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "testsrc2=size=320x180:rate=${FPS}:duration=${seconds}" \
    -f lavfi -i "$(sine "$seconds")" \
    -vf "format=yuv420p$(text_filter "$label" 180)" \
    $(video_mp4_opts) "${AUDIO_OPTS[@]}" "${BITEXACT[@]}" \
    -t "$seconds" -movflags +faststart "$out"
}

make_mp4 short.mp4 6 short
make_mp4 vod.mp4 30 vod

# make_ad <output> <seconds> <number> <colour> <tone Hz>: an ad clip for the local ad
# integration of the demo and the tests (demo/page/local-ads.js): a flat colour with a big
# "AD <number>" in the middle, the file's label and the running timestamp, and a tone of its own
# without beeps, so that an ad is told apart from the content at a glance and by ear.
make_ad() {
  local out="$1" seconds="$2" number="$3" colour="$4" tone="$5" text=""
  if [[ -n "$FONT" ]]; then
    text=",drawtext=fontfile=${FONT}:fontsize=64:fontcolor=white:borderw=3:bordercolor=black:x=(w-tw)/2:y=(h-th)/2:text='AD ${number}'$(text_filter "${out%.mp4}" 180)"
  fi
  # shellcheck disable=SC2046 # the option lists are meant to split into words
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "color=c=${colour}:size=320x180:rate=${FPS}:duration=${seconds}" \
    -f lavfi -i "sine=frequency=${tone}:sample_rate=48000:duration=${seconds}" \
    -vf "format=yuv420p${text}" \
    $(video_mp4_opts) "${AUDIO_OPTS[@]}" "${BITEXACT[@]}" \
    -t "$seconds" -movflags +faststart "$out"
}

make_ad ad-1.mp4 2 1 darkorange 660
make_ad ad-2.mp4 2 2 royalblue 880

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "$(sine 10)" \
  "${AUDIO_OPTS[@]}" "${BITEXACT[@]}" -vn -t 10 -movflags +faststart audio.m4a

# HLS VOD: two renditions of the same 30 s, 2 s segments. A fixed GOP of 48 frames at 24 fps
# (no scene-cut keyframes) puts a keyframe at every segment start in both renditions, so the
# player can switch between them at any segment boundary and the segments line up in time.
HLS_SECONDS=30
rm -rf hls
mkdir -p hls

# make_rendition <name> <width> <height> <video kbit/s> <smptebars|testsrc2>
make_rendition() {
  local name="$1" width="$2" height="$3" kbps="$4" source="$5"
  mkdir -p "hls/$name"
  ffmpeg -hide_banner -loglevel error -y \
    -f lavfi -i "${source}=size=${width}x${height}:rate=${FPS}:duration=${HLS_SECONDS}" \
    -f lavfi -i "$(sine "$HLS_SECONDS")" \
    -vf "format=yuv420p$(text_filter "$name" "$height")" \
    -c:v libx264 -profile:v main -level:v 3.0 -pix_fmt yuv420p -preset medium \
    -b:v "${kbps}k" -maxrate "$((kbps * 3 / 2))k" -bufsize "$((kbps * 2))k" \
    -g 48 -keyint_min 48 -sc_threshold 0 \
    "${AUDIO_OPTS[@]}" "${BITEXACT[@]}" -t "$HLS_SECONDS" \
    -f hls -hls_time 2 -hls_playlist_type vod -hls_flags independent_segments \
    -hls_segment_type mpegts -hls_segment_filename "hls/$name/segment%03d.ts" \
    "hls/$name/index.m3u8"
}

make_rendition 180p 320 180 100 testsrc2
make_rendition 360p 640 360 300 testsrc2

# The avc1 codec string (profile, constraint flags, level) read from the SPS the encoder wrote,
# so CODECS in the master playlist is what is really in the segments.
avc1_codec() {
  local hex
  hex=$(ffmpeg -hide_banner -loglevel error -i "$1" -map 0:v:0 -c:v copy -frames:v 1 \
    -bsf:v h264_mp4toannexb -f h264 - | od -An -v -tx1 | tr -d ' \n')
  # The SPS NAL unit (type 7: 0x67 with nal_ref_idc 3) follows a 00 00 01 start code.
  [[ "$hex" =~ 00000167(......) ]] || { echo "make.sh: no SPS in $1" >&2; exit 1; }
  echo "avc1.${BASH_REMATCH[1]}"
}

# BANDWIDTH is the peak segment bit rate (what RFC 8216 asks for); AVERAGE-BANDWIDTH the mean.
# Prints "<peak> <average>" in bit/s for a rendition, from the segment sizes and EXTINF durations.
bandwidths() {
  local dir="hls/$1"
  awk -v dir="$dir" '
    /^#EXTINF:/ { sub(/^#EXTINF:/, ""); sub(/,.*/, ""); duration = $0 + 0; next }
    /^[^#]/ {
      cmd = "stat -c %s \"" dir "/" $0 "\""; cmd | getline size; close(cmd)
      rate = size * 8 / duration; if (rate > peak) peak = rate
      total += size; seconds += duration
    }
    END { printf "%d %d\n", peak + 0.5, total * 8 / seconds + 0.5 }
  ' "$dir/index.m3u8"
}

{
  echo "#EXTM3U"
  echo "#EXT-X-VERSION:3"
  echo "#EXT-X-INDEPENDENT-SEGMENTS"
  for rendition in 180p:320x180 360p:640x360; do
    name="${rendition%%:*}"
    read -r peak average < <(bandwidths "$name")
    codec=$(avc1_codec "hls/$name/segment000.ts")
    echo "#EXT-X-STREAM-INF:BANDWIDTH=${peak},AVERAGE-BANDWIDTH=${average},RESOLUTION=${rendition#*:},FRAME-RATE=${FPS}.000,CODECS=\"${codec},mp4a.40.2\""
    echo "$name/index.m3u8"
  done
} > hls/master.m3u8

du -sh . >&2
