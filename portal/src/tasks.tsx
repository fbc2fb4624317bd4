/** A thread's client tasks (TK-1 to TK-6): the checklist, live; everyone who may see the
 * thread ticks; the firm adds, deletes, reorders and resends. */
import { useEffect, useState } from "preact/hooks";
import type { TasksView, TaskView } from "./api";
import { clean } from "./editor";
import type { Frame } from "./live";
import { useSession } from "./session";

export function TaskPanel({ threadId, firm, archived }: { threadId: string; firm: boolean; archived: boolean }) {
  const { api, live, fail } = useSession();
  const [tasks, setTasks] = useState<TasksView | null>(null);
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setTasks(null);
    api.tasks(threadId).then(setTasks).catch(fail);
    return live.listen((frame: Frame) => {
      const about = frame.tasks as TasksView | undefined;
      if (frame.type === "tasks" && about?.thread_id === threadId) setTasks(about);
      if (frame.type === "resync") api.tasks(threadId).then(setTasks).catch(fail);
    });
  }, [threadId]);

  if (!tasks || (tasks.total === 0 && !firm)) return null;
  const act = async (what: () => Promise<TasksView>) => {
    setError(null);
    try {
      setTasks(await what());
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };
  const move = (task: TaskView, by: number) => {
    const seen = tasks.tasks.map((one) => one.task_id);
    const order = [...seen];
    const at = order.indexOf(task.task_id);
    const to = at + by;
    if (to < 0 || to >= order.length) return;
    [order[at], order[to]] = [order[to], order[at]];
    void act(() => api.reorderTasks(threadId, seen, order));
  };
  return (
    <section class="tasks" aria-label="Tasks">
      <h2>
        Tasks <span class="count">{tasks.done}/{tasks.total}</span>
      </h2>
      <ul>
        {tasks.tasks.map((task, index) => (
          <li key={task.task_id} data-task={task.task_id} class={task.done ? "done" : ""}>
            <label>
              <input
                type="checkbox"
                checked={task.done}
                disabled={archived}
                onChange={(event) => act(() => api.setTaskDone(threadId, task.task_id, event.currentTarget.checked))}
              />
              <span dangerouslySetInnerHTML={{ __html: clean(task.html) }} />
            </label>
            {firm && !archived && (
              <span class="task-actions">
                <button type="button" aria-label="Move up" disabled={index === 0} onClick={() => move(task, -1)}>
                  ↑
                </button>
                <button
                  type="button"
                  aria-label="Move down"
                  disabled={index === tasks.tasks.length - 1}
                  onClick={() => move(task, 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  class="danger"
                  aria-label={`Delete task ${task.text}`}
                  onClick={() => window.confirm("Delete this task?") && act(() => api.deleteTask(threadId, task.task_id))}
                >
                  Delete
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {firm && !archived && (
        <form
          class="add-task"
          onSubmit={(event) => {
            event.preventDefault();
            if (!text.trim()) return;
            void act(() => api.addTasks(threadId, [text])).then(() => setText(""));
          }}
        >
          <input
            aria-label="New task"
            value={text}
            maxLength={500}
            placeholder="A task for the client (links allowed)"
            onInput={(event) => setText(event.currentTarget.value)}
          />
          <button type="submit" disabled={!text.trim()}>
            Add task
          </button>
          {tasks.total > 0 && (
            <button type="button" onClick={() => act(() => api.resendTasks(threadId))}>
              Resend tasks
            </button>
          )}
        </form>
      )}
    </section>
  );
}
