global using Mesos.Scheduler.Lite;
global using Mesos.Testing.Master;
global using AgentID = Mesos.V1.AgentID;
global using Call = Mesos.V1.Scheduler.Call;
global using Event = Mesos.V1.Scheduler.Event;
global using MesosTaskStatus = Mesos.V1.TaskStatus;
global using TaskState = Mesos.V1.TaskState;
global using V1 = Mesos.V1;
