import type { Scenario } from '../corpus-types.js';
import { fence } from './fence.js';

const quickSortEn = fence('python', String.raw`
import random


def quick_sort(items: list) -> list:
    """Sort a list in place with quick sort and return it."""

    def partition(lo: int, hi: int) -> int:
        # A random pivot makes the O(n^2) worst case unlikely, even on sorted input.
        p = random.randint(lo, hi)
        items[p], items[hi] = items[hi], items[p]
        pivot = items[hi]
        i = lo
        for j in range(lo, hi):
            if items[j] < pivot:
                items[i], items[j] = items[j], items[i]
                i += 1
        items[i], items[hi] = items[hi], items[i]
        return i

    def sort(lo: int, hi: int) -> None:
        while lo < hi:
            p = partition(lo, hi)
            # Recurse into the smaller side and loop on the larger: the stack stays O(log n).
            if p - lo < hi - p:
                sort(lo, p - 1)
                lo = p + 1
            else:
                sort(p + 1, hi)
                hi = p - 1

    sort(0, len(items) - 1)
    return items


if __name__ == "__main__":
    data = [5, 2, 9, 1, 5, 6, 3]
    print(quick_sort(data))  # [1, 2, 3, 5, 5, 6, 9]
`);

const quickSortZh = fence('python', String.raw`
import random


def quick_sort(items: list) -> list:
    """原地快速排序，返回排好序的同一个列表。"""

    def partition(lo: int, hi: int) -> int:
        # 随机选基准，避免有序输入退化成 O(n^2)
        p = random.randint(lo, hi)
        items[p], items[hi] = items[hi], items[p]
        pivot = items[hi]
        i = lo
        for j in range(lo, hi):
            if items[j] < pivot:
                items[i], items[j] = items[j], items[i]
                i += 1
        items[i], items[hi] = items[hi], items[i]
        return i

    def sort(lo: int, hi: int) -> None:
        while lo < hi:
            p = partition(lo, hi)
            # 先递归较短的一边，较长的一边用循环处理，栈深度保持 O(log n)
            if p - lo < hi - p:
                sort(lo, p - 1)
                lo = p + 1
            else:
                sort(p + 1, hi)
                hi = p - 1

    sort(0, len(items) - 1)
    return items


if __name__ == "__main__":
    data = [5, 2, 9, 1, 5, 6, 3]
    print(quick_sort(data))  # [1, 2, 3, 5, 5, 6, 9]
`);

const shortQuickSort = fence('python', String.raw`
def quick_sort(xs):
    if len(xs) <= 1:
        return xs
    pivot = xs[len(xs) // 2]
    left = [x for x in xs if x < pivot]
    middle = [x for x in xs if x == pivot]
    right = [x for x in xs if x > pivot]
    return quick_sort(left) + middle + quick_sort(right)
`);

const mergeSortJs = fence('javascript', String.raw`
function mergeSort(arr) {
  if (arr.length <= 1) return arr;
  const mid = Math.floor(arr.length / 2);
  const left = mergeSort(arr.slice(0, mid));
  const right = mergeSort(arr.slice(mid));

  const out = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    // <= keeps equal elements in their original order: merge sort is stable.
    out.push(left[i] <= right[j] ? left[i++] : right[j++]);
  }
  return out.concat(left.slice(i), right.slice(j));
}

console.log(mergeSort([5, 2, 9, 1, 5, 6, 3])); // [1, 2, 3, 5, 5, 6, 9]
`);

const complexityZh =
  '| 算法 | 平均时间 | 最坏时间 | 额外空间 | 稳定 |\n| --- | --- | --- | --- | :---: |\n| 快速排序 | O(n log n) | O(n²) | O(log n) | ❌ |\n| 归并排序 | O(n log n) | O(n log n) | O(n) | ✅ |\n| 堆排序 | O(n log n) | O(n log n) | O(1) | ❌ |\n| 插入排序 | O(n²) | O(n²) | O(1) | ✅ |\n\n';
const complexityEn =
  '| Algorithm | Average | Worst | Extra space | Stable |\n| --- | --- | --- | --- | :---: |\n| Quick sort | O(n log n) | O(n²) | O(log n) | ❌ |\n| Merge sort | O(n log n) | O(n log n) | O(n) | ✅ |\n| Heap sort | O(n log n) | O(n log n) | O(1) | ❌ |\n| Insertion sort | O(n²) | O(n²) | O(1) | ✅ |\n\n';

/** "写一个排序算法" / "write a quick sort in python": a full runnable function. */
export const sorting: Scenario = {
  id: 'sorting',
  match: [/排序|\bsort/, /快排|快速排序|quick ?sort/, /冒泡|归并|堆排序|插入排序|排序算法|bubble ?sort|merge ?sort|heap ?sort|insertion sort|sorting algorithm/],
  zh: {
    thinking: [
      ['\n嗯，用户让我写一个排序算法：“{question}”。', '\n好的，用户想要一个排序算法的实现。'],
      ['最经典的是快速排序，面试也最常考，就写它吧。语言用 Python，可读性最好。', '选快速排序比较合适，平均 O(n log n)，也很常用。语言先用 Python。'],
      ['基准怎么选？如果总是取第一个元素，输入已经有序时会退化到 O(n²)。等等，用随机基准就能避免这个问题。', '基准选择很关键：固定取首元素遇到有序数组就是最坏情况，所以随机选一个。'],
      ['要写原地版本还是列表推导式的简洁版本？简洁版好懂但要 O(n) 额外空间。我主推原地版，再附上简洁版。', '原地分区（Lomuto）更“正宗”，但短版本更直观。两个都给，原地版为主。'],
      ['检查边界：空列表、单个元素、有重复值。Lomuto 分区用 < 比较，重复值也能正确处理。', '边界情况：空列表时 hi = -1，循环不执行，没问题；重复元素也能排对。'],
      ['另外递归深度：先递归短的一边，长的一边用循环，这样栈深度是 O(log n)。', '还要注意 Python 的递归深度限制，先处理较短的一半可以把栈深控制在 O(log n)。'],
      ['最后说明复杂度和稳定性，再给个运行示例。\n', '最后补上复杂度分析和用法。\n'],
    ],
    answer: [
      ['\n\n## 快速排序（Python 实现）\n\n', '\n\n## 用 Python 实现快速排序\n\n'],
      ['下面是一个**原地**、**随机基准**的快速排序，可以直接运行：\n\n', '这是一个可以直接运行的版本，原地排序，并用随机基准避免最坏情况：\n\n'],
      [quickSortZh + '\n\n'],
      [
        '### 思路\n\n1. **选基准**：随机选一个元素作为 pivot，并换到末尾\n2. **分区**：把小于 pivot 的元素移到左边，最后把 pivot 放到分界位置\n3. **递归**：对左右两部分分别排序\n   - 先处理较短的一边，较长的一边用循环，栈深度为 O(log n)\n\n',
        '### 工作原理\n\n1. **选择基准**：随机挑一个 pivot，交换到区间末尾\n2. **分区（Lomuto）**：指针 `i` 左边都是小于 pivot 的元素\n3. **分治**：pivot 归位后，递归排序左右两段\n   - 较短的一段递归、较长的一段循环，避免栈溢出\n\n',
      ],
      [
        '### 复杂度\n\n- 平均时间复杂度：**O(n log n)**\n- 最坏时间复杂度：**O(n²)**（随机基准下极少出现）\n- 空间复杂度：**O(log n)**\n- **不稳定**：相等元素的相对顺序可能改变\n\n',
        '### 性能\n\n- 平均 **O(n log n)**，最坏 **O(n²)**\n- 额外空间 **O(log n)**（递归栈）\n- 这是一个**不稳定**排序\n\n',
      ],
      ['如果不在意额外内存，下面这个简洁版本更容易理解：\n\n', '另外附一个更短、更好理解的版本（会创建新列表）：\n\n'],
      [shortQuickSort + '\n\n'],
      ['> 💡 实际项目中直接用内置的 `sorted()` 或 `list.sort()` 就好，它们用的是稳定的 Timsort。', '> 💡 日常开发请优先用 `sorted()`：Python 内置的 Timsort 稳定且经过高度优化。'],
    ],
  },
  en: {
    thinking: [
      ['\nOkay, the user wants a sorting algorithm: "{question}". ', '\nAlright, the user is asking me to write a sorting algorithm. '],
      ["Quick sort is the classic choice and comes up in interviews all the time. I'll use Python since it's the most readable. ", "Quick sort makes sense: O(n log n) on average and widely used. Python for readability. "],
      ['Now, the pivot. If I always take the first element, an already-sorted list degrades to O(n²). Wait — a random pivot avoids that in practice. ', 'Pivot choice matters: a fixed first element hits the worst case on sorted input, so I will pick one at random. '],
      ["In-place partition or the short list-comprehension version? The short one is easier to read but uses O(n) extra memory. I'll lead with the in-place version and show the short one too. ", "The in-place Lomuto partition is the 'real' quick sort, but the short version is more intuitive. Both, in-place first. "],
      ['Edge cases: empty list, one element, duplicates. With a strict < in the partition, duplicates are handled fine. ', 'Check: for an empty list hi is -1, so the loop never runs. Duplicates also sort correctly. '],
      ["Recursion depth: recurse into the smaller side and loop on the larger one, so the stack stays O(log n). ", "Python's recursion limit is a concern too; handling the shorter half recursively keeps the depth at O(log n). "],
      ['Then complexity, stability and a usage example.\n', "Finally, complexity and how to run it.\n"],
    ],
    answer: [
      ['\n\n## Quick Sort in Python\n\n', '\n\n## Implementing Quick Sort (Python)\n\n'],
      ["Here's an **in-place** quick sort with a **random pivot** that you can run as is:\n\n", 'This version sorts in place and uses a random pivot to avoid the worst case:\n\n'],
      [quickSortEn + '\n\n'],
      [
        '### How It Works\n\n1. **Pick a pivot**: a random element, swapped to the end\n2. **Partition**: move everything smaller than the pivot to the left, then put the pivot at the boundary\n3. **Recurse** on the two sides\n   - The smaller side is handled recursively and the larger one in a loop, so the stack depth is O(log n)\n\n',
        '### The Idea\n\n1. **Choose a pivot** at random and move it to the end of the range\n2. **Partition (Lomuto)**: everything left of index `i` is smaller than the pivot\n3. **Divide and conquer**: once the pivot is in place, sort both halves\n   - Recurse on the shorter half, loop on the longer one to avoid stack overflow\n\n',
      ],
      [
        '### Complexity\n\n- Average time: **O(n log n)**\n- Worst case: **O(n²)** (very unlikely with a random pivot)\n- Extra space: **O(log n)**\n- **Not stable**: equal elements may change order\n\n',
        '### Performance\n\n- **O(n log n)** on average, **O(n²)** in the worst case\n- **O(log n)** extra space for the recursion\n- It is **not a stable** sort\n\n',
      ],
      ["If memory isn't a concern, this shorter version is easier to follow:\n\n", 'And a shorter, more readable version (it builds new lists):\n\n'],
      [shortQuickSort + '\n\n'],
      ["> 💡 In real code, just use the built-in `sorted()` or `list.sort()` — Python's Timsort is stable and heavily optimised.", '> 💡 For everyday work prefer `sorted()`: the built-in Timsort is stable and fast.'],
    ],
  },
  followUp: {
    zh: {
      thinking: [
        ['\n用户之前问的是“{previous}”，现在接着问“{question}”。', '\n嗯，上一轮聊的是“{previous}”，这次又问到排序。'],
        ['快排已经讲过了，这次可以横向比较几种排序算法，让他有个整体概念。', '既然快排讲完了，那就对比一下常见排序算法的复杂度和稳定性。'],
        ['归并排序是稳定的、最坏也是 O(n log n)，正好和快排互补，可以给个 JavaScript 实现换换口味。', '再写一个归并排序，用 JavaScript，说明它稳定的原因：合并时用 <=。'],
        ['表格列出平均、最坏、空间、稳定性四项。\n', '先表格，后代码，最后一句怎么选。\n'],
      ],
      answer: [
        ['\n\n好的，接着刚才的快速排序，我们横向比较一下常见的排序算法：\n\n', '\n\n在快排的基础上，再看看几种常见排序算法的对比 📊\n\n'],
        [complexityZh],
        ['**归并排序**和快排正好互补：最坏情况也是 O(n log n)，而且是稳定的。下面是 JavaScript 版本：\n\n', '如果需要**稳定排序**，归并排序是好选择。这里用 JavaScript 写一个：\n\n'],
        [mergeSortJs + '\n\n'],
        ['选择建议：数据量小或基本有序用插入排序；需要稳定用归并；一般情况快排最快。', '简单来说：追求平均速度选快排，需要稳定选归并，内存紧张选堆排序。'],
      ],
    },
    en: {
      thinking: [
        ['\nThe user previously asked "{previous}" and now "{question}". ', '\nOkay, we covered "{previous}"; now another sorting question. '],
        ["Quick sort is done, so this time a comparison of common sorting algorithms would give them the bigger picture. ", 'Since quick sort is covered, a comparison table of complexity and stability makes sense. '],
        ['Merge sort complements quick sort: stable, O(n log n) worst case. A JavaScript version for variety. ', "I'll add merge sort in JavaScript and explain why it's stable: the <= in the merge. "],
        ['Table with average, worst, space and stability.\n', 'Table first, then code, then a one-line guide.\n'],
      ],
      answer: [
        ["\n\nSure — building on quick sort, here's how the common sorting algorithms compare:\n\n", '\n\nFollowing on from quick sort, a side-by-side comparison 📊\n\n'],
        [complexityEn],
        ['**Merge sort** complements quick sort nicely: O(n log n) even in the worst case, and stable. In JavaScript:\n\n', 'If you need a **stable** sort, merge sort is a good pick. Here it is in JavaScript:\n\n'],
        [mergeSortJs + '\n\n'],
        ['Rule of thumb: insertion sort for tiny or nearly sorted data, merge sort when you need stability, quick sort for general speed.', 'In short: quick sort for average speed, merge sort for stability, heap sort when memory is tight.'],
      ],
    },
  },
};
