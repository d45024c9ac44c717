// Mesos.V1.Task and Mesos.V1.TaskStatus clash with System.Threading.Tasks under implicit usings: alias what we use.
global using AgentID = Mesos.V1.AgentID;
global using Call = Mesos.V1.Scheduler.Call;
global using Event = Mesos.V1.Scheduler.Event;
global using ExecutorID = Mesos.V1.ExecutorID;
global using FrameworkID = Mesos.V1.FrameworkID;
global using MesosTaskStatus = Mesos.V1.TaskStatus;
global using OfferID = Mesos.V1.OfferID;
global using TaskID = Mesos.V1.TaskID;
global using TaskState = Mesos.V1.TaskState;
global using V1 = Mesos.V1;
