import type { Attachment } from 'svelte/attachments';
import { untrack } from 'svelte';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/**
 * A uPlot chart as an attachment: the chart is built when `options()` changes (series come and
 * go with the task's probes) and only fed new data when `data()` changes. A `height` of 'fill'
 * follows the height CSS gives the node (a chart at stage size), less uPlot's own legend-free margin.
 */
export function uplotChart(
  options: () => Omit<uPlot.Options, 'width' | 'height'>,
  data: () => uPlot.AlignedData,
  height: number | 'fill',
): Attachment<HTMLElement> {
  return (node) => {
    const opts = options();
    const size = () => ({
      width: Math.max(200, node.clientWidth),
      height: height === 'fill' ? Math.max(120, node.clientHeight) : height,
    });
    const plot = untrack(() => new uPlot({ ...opts, ...size() }, data(), node));
    $effect(() => {
      plot.setData(data());
    });
    const resize = new ResizeObserver(() => plot.setSize(size()));
    resize.observe(node);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  };
}
