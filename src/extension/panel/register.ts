import * as vscode from 'vscode';
import { registerConnectionCommands } from '../connections/commands';
import { ConnectionStore } from '../connections/store';
import { PANEL_COMMANDS } from './contract';
import { HealthPanelController } from './health-panel';


/**
 * Registers the health panel, its status-bar item and the connection commands. Nothing connects
 * here: the database layer loads when the panel first opens or a connection is tested.
 */
export function registerPanel(context: vscode.ExtensionContext): HealthPanelController {
  const store = new ConnectionStore(context);
  const controller = new HealthPanelController(context, store);
  context.subscriptions.push(controller);
  registerConnectionCommands(context, store);
  context.subscriptions.push(vscode.commands.registerCommand(PANEL_COMMANDS.openHealthPanel, () => controller.open()));
  return controller;
}
