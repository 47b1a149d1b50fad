import type { Attachment } from 'svelte/attachments';
import { untrack } from 'svelte';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A uPlot chart as an attachment: the chart is built when `options()` changes (series come and
 * go with the task's probes) and only fed new data when `data()` changes.
 */
export function uplotChart(
  options: () => Omit<uPlot.Options, 'width' | 'height'>,
  data: () => uPlot.AlignedData,
  height: number,
): Attachment<HTMLElement> {
  return (node) => {
    const opts = options();
    const plot = untrack(() => new uPlot({ ...opts, width: Math.max(200, node.clientWidth), height }, data(), node));
    $effect(() => {
      plot.setData(data());
    });
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, node.clientWidth), height }));
    resize.observe(node);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  };
}
